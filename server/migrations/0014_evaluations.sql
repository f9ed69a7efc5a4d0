-- Democratic evaluation (民主测评). Anonymous by construction: the codes live apart from the
-- answers, and the answers are kept only as counts (per question and answer, per day and
-- whether on paper) and as comments under random ids. No row ties an answer to a code, a
-- person, an address or a moment finer than the day.

CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    title TEXT NOT NULL,
    threshold BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX evaluations_target ON evaluations (target_id);

-- SHA-256 of each one-time code; `used` flips once.
CREATE TABLE evaluation_codes (
    code_hash TEXT PRIMARY KEY,
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    used BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX evaluation_codes_evaluation ON evaluation_codes (evaluation_id);

CREATE TABLE evaluation_tallies (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    paper BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (evaluation_id, question, answer, paper)
);

CREATE TABLE evaluation_ballots (
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    day TEXT NOT NULL,
    paper BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (evaluation_id, day, paper)
);

CREATE TABLE evaluation_comments (
    id TEXT PRIMARY KEY,
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    comment TEXT NOT NULL
);
CREATE INDEX evaluation_comments_evaluation ON evaluation_comments (evaluation_id);
