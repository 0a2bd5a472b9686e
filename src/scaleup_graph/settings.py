"""One Settings object for the whole application, read from SCALEUP_* environment variables."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCALEUP_", env_file=".env", extra="ignore")

    #: embedded:///path, falkordb://host:port, neo4j://host:port, neo4j+s://..., bolt://...
    database_url: str = "embedded:///./.scaleup/db"
    graph: str = "scaleup"
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr = SecretStr("")
    neo4j_database: str = "neo4j"
    #: a read-only database user for ad-hoc Cypher (docs/neo4j.md); unset: the user above
    neo4j_adhoc_user: str = ""
    neo4j_adhoc_password: SecretStr = SecretStr("")
    #: a database user whose role is denied personal properties, KNOWS, drafts and system
    #: labels (Neo4j Enterprise/Aura: ``scaleup neo4j privileges``); ad-hoc Cypher of keys
    #: without contacts runs as it. Unset: such keys are refused ad-hoc Cypher on Neo4j.
    neo4j_redacted_user: str = ""
    neo4j_redacted_password: SecretStr = SecretStr("")
    falkordb_password: SecretStr | None = None

    #: where run state lives: checkpoints, reject reports, audit log, keys, snapshots
    state_dir: Path = Path(".scaleup")
    batch_size: int = 5000
    #: folder with the open data (cordis-h2020/, nuts-2021/); found by open_data_dir() if unset
    open_data: Path | None = None

    #: salt for hashing identifiers of erased persons (suppression list); set it in production
    suppression_salt: SecretStr = SecretStr("scaleup-graph-development-salt")

    api_host: str = "127.0.0.1"
    api_port: int = 8000
    cors_origins: list[str] = []
    keys_file: Path | None = None
    #: keys from the environment (containers): "<key id>:<roles>:<sha256>", comma-separated
    api_keys: str = ""
    audit_log: Path | None = None
    query_timeout_ms: int = 10_000
    #: request bodies above this size are refused with 413 before anything reads them
    max_body_bytes: int = 1_000_000
    adhoc_row_cap: int = 5_000
    page_size_cap: int = 500


@cache
def get_settings() -> Settings:
    return Settings()
