-- The index of restricted reads is kept like the log it indexes.
CREATE TRIGGER restricted_reads_no_update BEFORE UPDATE ON restricted_reads
BEGIN
    SELECT RAISE(ABORT, 'restricted_reads is append-only');
END;

CREATE TRIGGER restricted_reads_no_delete BEFORE DELETE ON restricted_reads
BEGIN
    SELECT RAISE(ABORT, 'restricted_reads is append-only');
END;
