-- Rule R8: records of decisions and communications are append-only. These triggers refuse
-- UPDATE and DELETE in the database itself, whatever code or person tries. Hand-written:
-- Prisma's schema diff does not model triggers.

CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): AuditEvent rows cannot be changed');
END;

CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): AuditEvent rows cannot be deleted');
END;

CREATE TRIGGER "Consent_no_update" BEFORE UPDATE ON "Consent"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Consent rows cannot be changed');
END;

CREATE TRIGGER "Consent_no_delete" BEFORE DELETE ON "Consent"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Consent rows cannot be deleted');
END;

CREATE TRIGGER "ConsentWithdrawal_no_update" BEFORE UPDATE ON "ConsentWithdrawal"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): ConsentWithdrawal rows cannot be changed');
END;

CREATE TRIGGER "ConsentWithdrawal_no_delete" BEFORE DELETE ON "ConsentWithdrawal"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): ConsentWithdrawal rows cannot be deleted');
END;

CREATE TRIGGER "CarerConfirmation_no_update" BEFORE UPDATE ON "CarerConfirmation"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): CarerConfirmation rows cannot be changed');
END;

CREATE TRIGGER "CarerConfirmation_no_delete" BEFORE DELETE ON "CarerConfirmation"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): CarerConfirmation rows cannot be deleted');
END;

CREATE TRIGGER "GuidelinesAgreement_no_update" BEFORE UPDATE ON "GuidelinesAgreement"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): GuidelinesAgreement rows cannot be changed');
END;

CREATE TRIGGER "GuidelinesAgreement_no_delete" BEFORE DELETE ON "GuidelinesAgreement"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): GuidelinesAgreement rows cannot be deleted');
END;

CREATE TRIGGER "GuidelinesVersion_no_update" BEFORE UPDATE ON "GuidelinesVersion"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): GuidelinesVersion rows cannot be changed');
END;

CREATE TRIGGER "GuidelinesVersion_no_delete" BEFORE DELETE ON "GuidelinesVersion"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): GuidelinesVersion rows cannot be deleted');
END;

CREATE TRIGGER "AdmissionDecision_no_update" BEFORE UPDATE ON "AdmissionDecision"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): AdmissionDecision rows cannot be changed');
END;

CREATE TRIGGER "AdmissionDecision_no_delete" BEFORE DELETE ON "AdmissionDecision"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): AdmissionDecision rows cannot be deleted');
END;

CREATE TRIGGER "Waiver_no_update" BEFORE UPDATE ON "Waiver"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Waiver rows cannot be changed');
END;

CREATE TRIGGER "Waiver_no_delete" BEFORE DELETE ON "Waiver"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Waiver rows cannot be deleted');
END;

CREATE TRIGGER "StaffMessage_no_update" BEFORE UPDATE ON "StaffMessage"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): StaffMessage rows cannot be changed');
END;

CREATE TRIGGER "StaffMessage_no_delete" BEFORE DELETE ON "StaffMessage"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): StaffMessage rows cannot be deleted');
END;

CREATE TRIGGER "Attendance_no_update" BEFORE UPDATE ON "Attendance"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Attendance rows cannot be changed');
END;

CREATE TRIGGER "Attendance_no_delete" BEFORE DELETE ON "Attendance"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Attendance rows cannot be deleted');
END;

CREATE TRIGGER "Concern_no_update" BEFORE UPDATE ON "Concern"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Concern rows cannot be changed');
END;

CREATE TRIGGER "Concern_no_delete" BEFORE DELETE ON "Concern"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Concern rows cannot be deleted');
END;

CREATE TRIGGER "ConcernNote_no_update" BEFORE UPDATE ON "ConcernNote"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): ConcernNote rows cannot be changed');
END;

CREATE TRIGGER "ConcernNote_no_delete" BEFORE DELETE ON "ConcernNote"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): ConcernNote rows cannot be deleted');
END;
