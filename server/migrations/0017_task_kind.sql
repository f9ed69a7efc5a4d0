-- 立行立改: a task fixed while the team is stationed, beside the regular ones.
ALTER TABLE rectification_tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'regular';
