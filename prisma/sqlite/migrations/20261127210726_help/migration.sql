-- CreateTable
CREATE TABLE "HelpRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "attendeeId" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HelpAnswer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "helpRequestId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "HelpAnswer_helpRequestId_fkey" FOREIGN KEY ("helpRequestId") REFERENCES "HelpRequest" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HelpRequest_attendeeId_idx" ON "HelpRequest"("attendeeId");

-- CreateIndex
CREATE INDEX "HelpRequest_sessionId_idx" ON "HelpRequest"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "HelpAnswer_helpRequestId_key" ON "HelpAnswer"("helpRequestId");

-- Rule R8 (hand-written, as in 20261125154900_append_only): a call for help and its answer are
-- communications, append-only. (No semicolons or quotes in these comments: the runner splits on them.)

CREATE TRIGGER "HelpRequest_no_update" BEFORE UPDATE ON "HelpRequest"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): HelpRequest rows cannot be changed');
END;

CREATE TRIGGER "HelpRequest_no_delete" BEFORE DELETE ON "HelpRequest"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): HelpRequest rows cannot be deleted');
END;

CREATE TRIGGER "HelpAnswer_no_update" BEFORE UPDATE ON "HelpAnswer"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): HelpAnswer rows cannot be changed');
END;

CREATE TRIGGER "HelpAnswer_no_delete" BEFORE DELETE ON "HelpAnswer"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): HelpAnswer rows cannot be deleted');
END;
