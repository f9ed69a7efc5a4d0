-- The audit log as a hash chain: each entry carries its place (seq), the hash of the entry
-- before it and its own SHA-256 over a canonical encoding of its content (see audit/chain.rs).
-- One chain head, updated in the writing transaction, serialises appends on both databases.
-- The triggers that refuse UPDATE and DELETE are in migrations-sqlite and migrations-postgres.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_seq ON audit_log (seq);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
