-- Common problems (共性问题) the office confirmed from the grouping of a term's findings, each
-- reported (通报) to a functional department. Later findings alike enough to the confirmed ones
-- join it when read: only the confirmed ones are stored.

CREATE TABLE common_problems (
    id TEXT PRIMARY KEY,
    term_id TEXT NOT NULL REFERENCES terms (id),
    label TEXT NOT NULL,
    focus TEXT NOT NULL,
    department TEXT NOT NULL,
    suggestion TEXT NOT NULL,
    -- The grouping threshold in hundredths (20 = 0.20).
    threshold BIGINT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX common_problems_term ON common_problems (term_id);

CREATE TABLE common_problem_findings (
    problem_id TEXT NOT NULL REFERENCES common_problems (id),
    finding_id TEXT NOT NULL REFERENCES findings (id),
    PRIMARY KEY (problem_id, finding_id)
);
CREATE INDEX common_problem_findings_finding ON common_problem_findings (finding_id);
