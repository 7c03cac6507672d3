-- Json columns are declared JSONB, so Prisma rebuilds these four tables (SQLite cannot change a
-- column's declared type). Dropping a table drops its triggers: the append-only triggers (R8) of
-- the two append-only tables among them are created again at the end, as 20261125154900 made them.

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AdmissionDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "attendeeId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "checks" JSONB NOT NULL,
    "staffId" TEXT,
    "message" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AdmissionDecision_attendeeId_fkey" FOREIGN KEY ("attendeeId") REFERENCES "Attendee" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_AdmissionDecision" ("action", "attendeeId", "checks", "createdAt", "id", "message", "sessionId", "staffId") SELECT "action", "attendeeId", "checks", "createdAt", "id", "message", "sessionId", "staffId" FROM "AdmissionDecision";
DROP TABLE "AdmissionDecision";
ALTER TABLE "new_AdmissionDecision" RENAME TO "AdmissionDecision";
CREATE INDEX "AdmissionDecision_attendeeId_idx" ON "AdmissionDecision"("attendeeId");
CREATE INDEX "AdmissionDecision_sessionId_idx" ON "AdmissionDecision"("sessionId");
CREATE TABLE "new_GuidelinesVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "audience" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_GuidelinesVersion" ("audience", "body", "createdAt", "id", "version") SELECT "audience", "body", "createdAt", "id", "version" FROM "GuidelinesVersion";
DROP TABLE "GuidelinesVersion";
ALTER TABLE "new_GuidelinesVersion" RENAME TO "GuidelinesVersion";
CREATE UNIQUE INDEX "GuidelinesVersion_audience_version_key" ON "GuidelinesVersion"("audience", "version");
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "delivery" TEXT NOT NULL,
    "leadStaffId" TEXT NOT NULL,
    "secondStaffId" TEXT,
    "roomName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "allowData" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "summary" JSONB,
    CONSTRAINT "Session_leadStaffId_fkey" FOREIGN KEY ("leadStaffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Session_secondStaffId_fkey" FOREIGN KEY ("secondStaffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("allowData", "createdAt", "createdById", "delivery", "endedAt", "endsAt", "id", "leadStaffId", "roomName", "secondStaffId", "startedAt", "startsAt", "status", "summary", "title") SELECT "allowData", "createdAt", "createdById", "delivery", "endedAt", "endsAt", "id", "leadStaffId", "roomName", "secondStaffId", "startedAt", "startsAt", "status", "summary", "title" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_roomName_key" ON "Session"("roomName");
CREATE INDEX "Session_startsAt_idx" ON "Session"("startsAt");
CREATE TABLE "new_Settings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "timeZone" TEXT NOT NULL,
    "agreedHours" JSONB NOT NULL,
    "emergencyName" TEXT NOT NULL,
    "emergencyPhone" TEXT NOT NULL,
    "carerConfirmLeadMins" INTEGER NOT NULL DEFAULT 60,
    "longWaitSeconds" INTEGER NOT NULL DEFAULT 300,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Settings" ("agreedHours", "carerConfirmLeadMins", "emergencyName", "emergencyPhone", "id", "longWaitSeconds", "timeZone", "updatedAt") SELECT "agreedHours", "carerConfirmLeadMins", "emergencyName", "emergencyPhone", "id", "longWaitSeconds", "timeZone", "updatedAt" FROM "Settings";
DROP TABLE "Settings";
ALTER TABLE "new_Settings" RENAME TO "Settings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Hand-written: the append-only triggers dropped with the old tables.
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
