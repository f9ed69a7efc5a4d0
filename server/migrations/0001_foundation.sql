-- Portable SQL for SQLite and PostgreSQL through sqlx::any: ids are UUID text, timestamps are
-- RFC 3339 UTC text of fixed width (so they sort as text), flags are BIGINT 0/1.

CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES orgs (id),
    name TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    level TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    initials TEXT NOT NULL DEFAULT '',
    secretary TEXT NOT NULL DEFAULT '',
    leaders TEXT NOT NULL DEFAULT '[]',
    households BIGINT,
    population BIGINT,
    party_members BIGINT,
    -- Money in whole yuan: no floating point in stored amounts (the API speaks 万元).
    collective_income_yuan BIGINT,
    collective_assets_yuan BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id TEXT REFERENCES orgs (id),
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

-- Only a SHA-256 of each session token is stored, so a leaked table opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per user name (known or not, so the answer reveals nothing).
CREATE TABLE login_throttle (
    username TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    first_failure_at TEXT NOT NULL,
    locked_until TEXT
);

-- Append-only: the API has no route that updates or deletes a row here. Ids are UUIDv7, so
-- they sort by time.
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_object ON audit_log (object_type, object_id);
CREATE INDEX audit_actor ON audit_log (actor_id);
