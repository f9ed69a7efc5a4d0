-- The index of restricted reads is kept like the log it indexes.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;

CREATE TRIGGER restricted_reads_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON restricted_reads
FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
