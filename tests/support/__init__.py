"""What tests share: graphs to test on, the API fixtures, a live server, the CLI.

Import from here, never from another folder's conftest.
"""
