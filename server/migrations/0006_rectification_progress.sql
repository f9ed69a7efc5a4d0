-- What the liaison reports on a task (整改进展) and the photos and files it sends (整改佐证).
-- Ids come from the phone, so a report or a photo re-sent by the outbox is stored once.
CREATE TABLE task_progress (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES rectification_tasks (id),
    note TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX task_progress_task ON task_progress (task_id);

CREATE TABLE task_files (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES rectification_tasks (id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX task_files_task ON task_files (task_id);
-- The closing day for the ledger and the public page.
CREATE INDEX task_events_to ON task_events (to_status, task_id);
