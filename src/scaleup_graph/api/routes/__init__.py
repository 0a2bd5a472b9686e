"""Route modules; every module with a ``router`` attribute is included by create_app()."""
