-- Rule R8: records of decisions and communications are append-only. These triggers refuse
-- UPDATE, DELETE and TRUNCATE in the database itself, whatever code or person tries.
-- Hand-written: Prisma's schema diff does not model triggers.

-- The function body is an E-string with \073 (octal for a semicolon) in place of semicolons,
-- because the pg driver adapter that applies migrations offline splits scripts at every
-- semicolon. No comment in this file may contain one either.
CREATE FUNCTION "gatekeeper_append_only"() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''append-only (R8): % rows cannot be changed or deleted'', TG_TABLE_NAME USING ERRCODE = ''restrict_violation''\073 END\073';

CREATE TRIGGER "AuditEvent_append_only" BEFORE UPDATE OR DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "Consent_append_only" BEFORE UPDATE OR DELETE ON "Consent"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "Consent_no_truncate" BEFORE TRUNCATE ON "Consent"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "ConsentWithdrawal_append_only" BEFORE UPDATE OR DELETE ON "ConsentWithdrawal"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "ConsentWithdrawal_no_truncate" BEFORE TRUNCATE ON "ConsentWithdrawal"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "CarerConfirmation_append_only" BEFORE UPDATE OR DELETE ON "CarerConfirmation"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "CarerConfirmation_no_truncate" BEFORE TRUNCATE ON "CarerConfirmation"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "GuidelinesAgreement_append_only" BEFORE UPDATE OR DELETE ON "GuidelinesAgreement"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "GuidelinesAgreement_no_truncate" BEFORE TRUNCATE ON "GuidelinesAgreement"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "GuidelinesVersion_append_only" BEFORE UPDATE OR DELETE ON "GuidelinesVersion"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "GuidelinesVersion_no_truncate" BEFORE TRUNCATE ON "GuidelinesVersion"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "AdmissionDecision_append_only" BEFORE UPDATE OR DELETE ON "AdmissionDecision"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "AdmissionDecision_no_truncate" BEFORE TRUNCATE ON "AdmissionDecision"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "Waiver_append_only" BEFORE UPDATE OR DELETE ON "Waiver"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "Waiver_no_truncate" BEFORE TRUNCATE ON "Waiver"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "StaffMessage_append_only" BEFORE UPDATE OR DELETE ON "StaffMessage"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "StaffMessage_no_truncate" BEFORE TRUNCATE ON "StaffMessage"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "Attendance_append_only" BEFORE UPDATE OR DELETE ON "Attendance"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "Attendance_no_truncate" BEFORE TRUNCATE ON "Attendance"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "Concern_append_only" BEFORE UPDATE OR DELETE ON "Concern"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "Concern_no_truncate" BEFORE TRUNCATE ON "Concern"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "ConcernNote_append_only" BEFORE UPDATE OR DELETE ON "ConcernNote"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "ConcernNote_no_truncate" BEFORE TRUNCATE ON "ConcernNote"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();
