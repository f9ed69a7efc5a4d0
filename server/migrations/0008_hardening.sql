-- Secrets the server makes for itself at its first start (the key for hashing user names that
-- match no account), shared by every server on this database.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- What each applied change carried, so that a re-sent change id with other content is refused
-- instead of silently skipped. Rows from before have none and are taken as they are.
ALTER TABLE applied_changes ADD COLUMN item_id TEXT;
ALTER TABLE applied_changes ADD COLUMN digest TEXT;

-- The change that last wrote each answer: a device that lost the reply to it and changed the
-- answer again names it, and is not shown its own answer as a conflict.
ALTER TABLE checklist_answers ADD COLUMN change_id TEXT;
