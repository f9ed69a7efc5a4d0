-- Rectification tasks (整改任务) and every move of their status.
CREATE TABLE rectification_tasks (
    id TEXT PRIMARY KEY,
    finding_id TEXT NOT NULL REFERENCES findings (id),
    target_id TEXT NOT NULL REFERENCES targets (id),
    org_id TEXT NOT NULL REFERENCES orgs (id),
    responsible_person TEXT NOT NULL,
    measures TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- A liaison's list and the reminders read by organisation and deadline.
CREATE INDEX rectification_tasks_org ON rectification_tasks (org_id, deadline);
CREATE INDEX rectification_tasks_target ON rectification_tasks (target_id);
CREATE INDEX rectification_tasks_finding ON rectification_tasks (finding_id);
CREATE INDEX rectification_tasks_deadline ON rectification_tasks (status, deadline);

CREATE TABLE task_events (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES rectification_tasks (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    by_user TEXT NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_events_task ON task_events (task_id);
