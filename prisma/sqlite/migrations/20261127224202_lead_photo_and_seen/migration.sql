-- CreateTable
CREATE TABLE "StaffPhoto" (
    "staffId" TEXT NOT NULL PRIMARY KEY,
    "image" BLOB NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "StaffPhoto_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WaitingSeen" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "attendeeId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "WaitingSeen_attendeeId_createdAt_idx" ON "WaitingSeen"("attendeeId", "createdAt");

-- Rule R8 (hand-written, as in 20261125154900_append_only): that a console showed someone waiting
-- is a record of the service telling them so, append-only. The photo is personal data and may be
-- replaced or removed. (No semicolons or quotes in these comments: the runner splits on them.)

CREATE TRIGGER "WaitingSeen_no_update" BEFORE UPDATE ON "WaitingSeen"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): WaitingSeen rows cannot be changed');
END;

CREATE TRIGGER "WaitingSeen_no_delete" BEFORE DELETE ON "WaitingSeen"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): WaitingSeen rows cannot be deleted');
END;
