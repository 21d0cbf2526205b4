"""The workspace's catalog schema (DuckDB): stores, imports, lake parts and the ledger.

Tables are created idempotently so that every command can call ``ensure_schema`` first. Later
capabilities (plans, users, audit) add their own tables here.
"""

from __future__ import annotations

import duckdb

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS stores (
        store_id VARCHAR PRIMARY KEY,
        platform VARCHAR NOT NULL,
        marketplace VARCHAR NOT NULL,
        currency VARCHAR NOT NULL,
        timezone VARCHAR NOT NULL,
        name VARCHAR,
        created_at_utc TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS imports (
        import_id BIGINT PRIMARY KEY,
        raw_sha256 VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        file_bytes BIGINT NOT NULL,
        store_id VARCHAR,
        format_key VARCHAR NOT NULL,
        format_version VARCHAR NOT NULL,
        target_table VARCHAR NOT NULL,
        rows_accepted BIGINT NOT NULL,
        rows_rejected BIGINT NOT NULL,
        rows_skipped BIGINT NOT NULL,
        date_from DATE,
        date_to DATE,
        currencies VARCHAR,
        imported_by VARCHAR NOT NULL,
        imported_at_utc TIMESTAMPTZ NOT NULL,
        summary_json VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS lake_parts (
        import_id BIGINT NOT NULL,
        table_name VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        row_count BIGINT NOT NULL,
        sha256 VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS ledger (
        seq BIGINT PRIMARY KEY,
        at_utc TIMESTAMPTZ NOT NULL,
        actor VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        payload_json VARCHAR NOT NULL,
        prev_hash VARCHAR NOT NULL,
        entry_hash VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS definition_sets (
        set_key VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        extends VARCHAR,
        body_json VARCHAR NOT NULL,
        created_by VARCHAR NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS definition_set_locks (
        set_key VARCHAR NOT NULL,
        locked_by_plan VARCHAR NOT NULL,
        locked_at_utc TIMESTAMPTZ NOT NULL
    )""",
    # plans (plans/store.py): a version's text never changes once proposed; its hash is in the ledger
    """CREATE TABLE IF NOT EXISTS plans (
        plan_id VARCHAR PRIMARY KEY,
        created_by VARCHAR NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS plan_versions (
        plan_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        yaml_text VARCHAR NOT NULL,
        plan_hash VARCHAR NOT NULL,
        reason VARCHAR,
        created_by VARCHAR NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL,
        updated_at_utc TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (plan_id, version)
    )""",
    """CREATE TABLE IF NOT EXISTS plan_signatures (
        plan_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        role VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        signed_at_utc TIMESTAMPTZ NOT NULL,
        plan_hash VARCHAR NOT NULL,
        ledger_seq BIGINT NOT NULL,
        PRIMARY KEY (plan_id, version, role)
    )""",
]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in SCHEMA:
        con.execute(ddl)
