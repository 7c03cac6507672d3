-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "egressId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "startedById" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "stoppedById" TEXT,
    "stoppedAt" DATETIME,
    "stopReason" TEXT,
    "location" TEXT,
    "error" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Recording_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecordingAgreement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "attendeeId" TEXT,
    "staffId" TEXT,
    "agreed" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Recording_egressId_key" ON "Recording"("egressId");

-- CreateIndex
CREATE INDEX "Recording_sessionId_idx" ON "Recording"("sessionId");

-- CreateIndex
CREATE INDEX "RecordingAgreement_sessionId_idx" ON "RecordingAgreement"("sessionId");

-- Rule R8 (hand-written, as in 20261125154900_append_only): what a volunteer or staff member answered
-- about being recorded is append-only, and a recording row follows its egress but is never deleted.

CREATE TRIGGER "RecordingAgreement_no_update" BEFORE UPDATE ON "RecordingAgreement"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): RecordingAgreement rows cannot be changed');
END;

CREATE TRIGGER "RecordingAgreement_no_delete" BEFORE DELETE ON "RecordingAgreement"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): RecordingAgreement rows cannot be deleted');
END;

CREATE TRIGGER "Recording_no_delete" BEFORE DELETE ON "Recording"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): Recording rows cannot be deleted');
END;
