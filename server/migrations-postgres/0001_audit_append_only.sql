-- Append-only at the database level. An entry written before the chain existed may be sealed
-- once (its seq and hashes set, at the first start after the upgrade); a sealed entry never
-- changes, and nothing is ever deleted or truncated. The head is one row that is never removed.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Nested: a statement trigger (TRUNCATE) has no OLD row to look at.
    IF TG_OP = 'UPDATE' THEN
        IF OLD.hash IS NULL THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_head_no_delete BEFORE DELETE OR TRUNCATE ON audit_head
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
