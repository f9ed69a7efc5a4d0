-- A finding that came from a talk record names it (its id only: who spoke stays in the talk).
ALTER TABLE findings ADD COLUMN talk_id TEXT REFERENCES talks (id);
