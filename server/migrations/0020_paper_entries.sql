-- Each entry of paper ballots under the id the device made for it: an entry sent again after
-- its reply was lost is found here and not counted twice. The team's own entry, not a
-- respondent's: how many ballots, on which day.
CREATE TABLE evaluation_paper_entries (
    id TEXT PRIMARY KEY,
    evaluation_id TEXT NOT NULL REFERENCES evaluations (id),
    ballots BIGINT NOT NULL,
    day TEXT NOT NULL
);
