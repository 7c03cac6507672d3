-- AlterTable
ALTER TABLE "Member" ADD COLUMN "email" TEXT;

-- CreateTable
CREATE TABLE "Volunteer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "displayName" TEXT NOT NULL,
    "email" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "sessionId" TEXT,
    "attendeeId" TEXT,
    "recipientType" TEXT NOT NULL,
    "recipientId" TEXT NOT NULL,
    "toName" TEXT NOT NULL,
    "toAddress" TEXT,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "links" JSONB,
    "calendar" TEXT,
    "dueAt" DATETIME NOT NULL,
    "notBefore" DATETIME NOT NULL,
    "sendBy" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutboxAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "messageId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reply" TEXT,
    "retryAt" DATETIME,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutboxAttempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "OutboxMessage" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Attendee" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "memberId" TEXT,
    "volunteerId" TEXT,
    "displayName" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'invited',
    "stateChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "admissionSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attendee_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Attendee_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Attendee_volunteerId_fkey" FOREIGN KEY ("volunteerId") REFERENCES "Volunteer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Attendee" ("admissionSeq", "createdAt", "displayName", "id", "kind", "memberId", "sessionId", "state", "stateChangedAt") SELECT "admissionSeq", "createdAt", "displayName", "id", "kind", "memberId", "sessionId", "state", "stateChangedAt" FROM "Attendee";
DROP TABLE "Attendee";
ALTER TABLE "new_Attendee" RENAME TO "Attendee";
CREATE INDEX "Attendee_sessionId_idx" ON "Attendee"("sessionId");
CREATE UNIQUE INDEX "Attendee_sessionId_memberId_key" ON "Attendee"("sessionId", "memberId");
CREATE UNIQUE INDEX "Attendee_sessionId_volunteerId_key" ON "Attendee"("sessionId", "volunteerId");
CREATE TABLE "new_Settings" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "timeZone" TEXT NOT NULL,
    "agreedHours" JSONB NOT NULL,
    "emergencyName" TEXT NOT NULL,
    "emergencyPhone" TEXT NOT NULL,
    "carerConfirmLeadMins" INTEGER NOT NULL DEFAULT 60,
    "longWaitSeconds" INTEGER NOT NULL DEFAULT 300,
    "inviteDaysBefore" INTEGER NOT NULL DEFAULT 3,
    "reminderHoursBefore" INTEGER NOT NULL DEFAULT 24,
    "occurrenceWeeksAhead" INTEGER NOT NULL DEFAULT 8,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Settings" ("agreedHours", "carerConfirmLeadMins", "emergencyName", "emergencyPhone", "id", "longWaitSeconds", "timeZone", "updatedAt") SELECT "agreedHours", "carerConfirmLeadMins", "emergencyName", "emergencyPhone", "id", "longWaitSeconds", "timeZone", "updatedAt" FROM "Settings";
DROP TABLE "Settings";
ALTER TABLE "new_Settings" RENAME TO "Settings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OutboxMessage_sessionId_idx" ON "OutboxMessage"("sessionId");

-- CreateIndex
CREATE INDEX "OutboxMessage_notBefore_idx" ON "OutboxMessage"("notBefore");

-- CreateIndex
CREATE INDEX "OutboxAttempt_messageId_idx" ON "OutboxAttempt"("messageId");

-- Rule R8: what the service sent, and every attempt to send it, are communications: append-only,
-- refused by the database itself (hand-written, as in 20261125154900_append_only).

CREATE TRIGGER "OutboxMessage_no_update" BEFORE UPDATE ON "OutboxMessage"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): OutboxMessage rows cannot be changed');
END;

CREATE TRIGGER "OutboxMessage_no_delete" BEFORE DELETE ON "OutboxMessage"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): OutboxMessage rows cannot be deleted');
END;

CREATE TRIGGER "OutboxAttempt_no_update" BEFORE UPDATE ON "OutboxAttempt"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): OutboxAttempt rows cannot be changed');
END;

CREATE TRIGGER "OutboxAttempt_no_delete" BEFORE DELETE ON "OutboxAttempt"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): OutboxAttempt rows cannot be deleted');
END;
