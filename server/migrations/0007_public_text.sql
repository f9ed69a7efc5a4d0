-- What the office lets out on the public page when it closes a task (整改情况, 公开内容).
ALTER TABLE rectification_tasks ADD COLUMN public_text TEXT NOT NULL DEFAULT '';
