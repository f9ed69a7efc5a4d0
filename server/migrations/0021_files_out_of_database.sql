-- Uploaded files move out of the database into a content-addressed store (by SHA-256, under
-- the data folder by default). The `data` columns stay for the move: at start the server
-- copies every row's bytes to the store and empties the column ('' means "in the store").
-- A hash whose row was removed is listed here; once it has been listed a while, the sweep
-- deletes its bytes if no row refers to it any more. An upload takes its hash off the list
-- first (and so holds that row until it commits), so a sweep never deletes what it stores.
CREATE TABLE released_files (
    sha256 TEXT PRIMARY KEY,
    released_at TEXT NOT NULL
);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE INDEX task_files_sha256 ON task_files (sha256);
CREATE INDEX talk_files_sha256 ON talk_files (sha256);
CREATE INDEX clue_files_sha256 ON clue_files (sha256);
CREATE INDEX petition_files_sha256 ON petition_files (sha256);
CREATE INDEX prep_files_sha256 ON prep_files (sha256);
