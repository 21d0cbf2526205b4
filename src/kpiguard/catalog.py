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
    # force-majeure events (events/store.py): proposed by one party, decided by the other
    """CREATE TABLE IF NOT EXISTS events (
        event_id INTEGER PRIMARY KEY,
        plan_id VARCHAR NOT NULL,
        event_type VARCHAR NOT NULL,
        stores_json VARCHAR NOT NULL,
        start_date DATE NOT NULL,
        end_date DATE NOT NULL,
        note VARCHAR NOT NULL,
        evidence_name VARCHAR,
        evidence_sha256 VARCHAR,
        proposed_party VARCHAR NOT NULL,
        proposed_by VARCHAR NOT NULL,
        proposed_at_utc TIMESTAMPTZ NOT NULL,
        status VARCHAR NOT NULL,
        decided_party VARCHAR,
        decided_by VARCHAR,
        decided_at_utc TIMESTAMPTZ,
        decision_note VARCHAR
    )""",
    # deliveries of a KPI's dependencies (events/deliveries.py): when the design images arrived
    """CREATE TABLE IF NOT EXISTS deliveries (
        plan_id VARCHAR NOT NULL,
        metric VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        delivered_on DATE NOT NULL,
        recorded_party VARCHAR NOT NULL,
        recorded_by VARCHAR NOT NULL,
        recorded_at_utc TIMESTAMPTZ NOT NULL,
        note VARCHAR NOT NULL
    )""",
    # final scores (scoring/records.py): the result and the data snapshot it was computed from
    """CREATE TABLE IF NOT EXISTS scores (
        plan_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        period VARCHAR NOT NULL,
        definition_set VARCHAR NOT NULL,
        snapshot_json VARCHAR NOT NULL,
        snapshot_digest VARCHAR NOT NULL,
        result_json VARCHAR NOT NULL,
        result_sha256 VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        recorded_at_utc TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (plan_id, version, period)
    )""",
    # settlement statements (settlement/records.py): provisional first, final later, true-up between
    """CREATE TABLE IF NOT EXISTS settlements (
        plan_id VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        period VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        statement_json VARCHAR NOT NULL,
        statement_sha256 VARCHAR NOT NULL,
        recorded_at_utc TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (plan_id, period, seq)
    )""",
    # early-warning inbox (alerts/inbox.py): one row per open problem; a repeat bumps seen_count
    """CREATE TABLE IF NOT EXISTS alerts (
        alert_id BIGINT PRIMARY KEY,
        dedupe_key VARCHAR NOT NULL,
        rule VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        plan_id VARCHAR NOT NULL,
        plan_version INTEGER NOT NULL,
        stores_json VARCHAR NOT NULL,
        metric VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        period_end DATE NOT NULL,
        as_of DATE NOT NULL,
        day DATE,
        numbers_json VARCHAR NOT NULL,
        title_en VARCHAR NOT NULL,
        title_zh VARCHAR NOT NULL,
        body_en VARCHAR NOT NULL,
        body_zh VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        seen_count INTEGER NOT NULL,
        first_seen_utc TIMESTAMPTZ NOT NULL,
        last_seen_utc TIMESTAMPTZ NOT NULL,
        acknowledged_by VARCHAR,
        acknowledged_at_utc TIMESTAMPTZ
    )""",
    # alert webhooks (alerts/webhooks.py): where alerts are pushed, with the platform's signing secret
    """CREATE TABLE IF NOT EXISTS webhooks (
        name VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        secret VARCHAR,
        max_per_hour INTEGER NOT NULL,
        created_by VARCHAR NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL
    )""",
    # every HTTP message sent to a webhook (alerts/delivery.py): the rate limit counts these
    """CREATE TABLE IF NOT EXISTS webhook_messages (
        message_id BIGINT PRIMARY KEY,
        webhook VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        alert_ids_json VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        attempts INTEGER NOT NULL,
        http_status INTEGER,
        error VARCHAR,
        created_at_utc TIMESTAMPTZ NOT NULL,
        finished_at_utc TIMESTAMPTZ
    )""",
    # each alert's state on each webhook (alerts/delivery.py): sent once, failures and suppression kept
    """CREATE TABLE IF NOT EXISTS alert_deliveries (
        alert_id BIGINT NOT NULL,
        webhook VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        message_id BIGINT,
        tries INTEGER NOT NULL,
        last_error VARCHAR,
        updated_at_utc TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (alert_id, webhook)
    )""",
    # accounts (accounts/orgs.py): a seller company or an agency
    """CREATE TABLE IF NOT EXISTS organisations (
        org_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        name_zh VARCHAR,
        kind VARCHAR NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL
    )""",
    # accounts (accounts/users.py): one organisation and one role each; Argon2 hash, never the password
    """CREATE TABLE IF NOT EXISTS users (
        user_id BIGINT PRIMARY KEY,
        email VARCHAR NOT NULL UNIQUE,
        name VARCHAR NOT NULL,
        org_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL,
        lang VARCHAR NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL,
        disabled BOOLEAN NOT NULL
    )""",
    # accounts (accounts/access.py): which seller organisation owns a store
    """CREATE TABLE IF NOT EXISTS store_owners (
        store_id VARCHAR PRIMARY KEY,
        org_id VARCHAR NOT NULL,
        assigned_by VARCHAR NOT NULL,
        assigned_at_utc TIMESTAMPTZ NOT NULL
    )""",
    # accounts (accounts/access.py): a seller grants an agency a store; revoking keeps the row
    """CREATE TABLE IF NOT EXISTS store_grants (
        grant_id BIGINT PRIMARY KEY,
        store_id VARCHAR NOT NULL,
        agency_org_id VARCHAR NOT NULL,
        granted_by VARCHAR NOT NULL,
        granted_at_utc TIMESTAMPTZ NOT NULL,
        revoked_by VARCHAR,
        revoked_at_utc TIMESTAMPTZ
    )""",
    # accounts (accounts/access.py): the stores an agency operator works on
    """CREATE TABLE IF NOT EXISTS operator_assignments (
        user_id BIGINT NOT NULL,
        store_id VARCHAR NOT NULL,
        assigned_by VARCHAR NOT NULL,
        assigned_at_utc TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (user_id, store_id)
    )""",
    # accounts (accounts/sessions.py): browser sessions; the cookie's token is stored as its SHA-256
    """CREATE TABLE IF NOT EXISTS sessions (
        token_sha256 VARCHAR PRIMARY KEY,
        user_id BIGINT NOT NULL,
        csrf_token VARCHAR NOT NULL,
        ip VARCHAR,
        created_at_utc TIMESTAMPTZ NOT NULL,
        expires_at_utc TIMESTAMPTZ NOT NULL,
        last_seen_utc TIMESTAMPTZ NOT NULL
    )""",
    # accounts (accounts/tokens.py): API tokens for scripts, stored as their SHA-256; revoking keeps the row
    """CREATE TABLE IF NOT EXISTS api_tokens (
        token_id BIGINT PRIMARY KEY,
        token_sha256 VARCHAR NOT NULL UNIQUE,
        name VARCHAR NOT NULL,
        user_id BIGINT NOT NULL,
        created_at_utc TIMESTAMPTZ NOT NULL,
        last_used_utc TIMESTAMPTZ,
        revoked_at_utc TIMESTAMPTZ
    )""",
    # accounts (accounts/ratelimit.py): every sign-in attempt, counted for the rate limit
    """CREATE TABLE IF NOT EXISTS login_attempts (
        email VARCHAR NOT NULL,
        ip VARCHAR NOT NULL,
        at_utc TIMESTAMPTZ NOT NULL,
        ok BOOLEAN NOT NULL
    )""",
    # accounts (accounts/audit.py): who changed what, from where; each row also has a ledger entry
    """CREATE TABLE IF NOT EXISTS audit_log (
        audit_id BIGINT PRIMARY KEY,
        at_utc TIMESTAMPTZ NOT NULL,
        actor VARCHAR NOT NULL,
        user_id BIGINT,
        org_id VARCHAR,
        action VARCHAR NOT NULL,
        target VARCHAR NOT NULL,
        stores_json VARCHAR NOT NULL,
        detail_json VARCHAR NOT NULL,
        ip VARCHAR,
        ledger_seq BIGINT NOT NULL
    )""",
    # raw-data archive (web/ops_archive.py): raw files a seller admin archived; bytes are never deleted
    """CREATE TABLE IF NOT EXISTS raw_archive (
        raw_sha256 VARCHAR PRIMARY KEY,
        store_id VARCHAR NOT NULL,
        archived_by VARCHAR NOT NULL,
        archived_at_utc TIMESTAMPTZ NOT NULL,
        audit_id BIGINT NOT NULL,
        ledger_seq BIGINT NOT NULL
    )""",
]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in SCHEMA:
        con.execute(ddl)
