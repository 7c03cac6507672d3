-- CreateTable
CREATE TABLE "KeepApart" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "aType" TEXT NOT NULL,
    "aId" TEXT NOT NULL,
    "bType" TEXT NOT NULL,
    "bId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "until" DATETIME,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "KeepApartEnd" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "keepApartId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "endedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "KeepApartEnd_keepApartId_fkey" FOREIGN KEY ("keepApartId") REFERENCES "KeepApart" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "KeepApart_aId_idx" ON "KeepApart"("aId");

-- CreateIndex
CREATE INDEX "KeepApart_bId_idx" ON "KeepApart"("bId");

-- CreateIndex
CREATE UNIQUE INDEX "KeepApartEnd_keepApartId_key" ON "KeepApartEnd"("keepApartId");

-- Rule R8 (hand-written, as in 20261125154900_append_only): keep-apart entries and their ends are
-- append-only. (No semicolons or quotes in these comments: the migration runner splits on them.)

CREATE TRIGGER "KeepApart_no_update" BEFORE UPDATE ON "KeepApart"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): KeepApart rows cannot be changed');
END;

CREATE TRIGGER "KeepApart_no_delete" BEFORE DELETE ON "KeepApart"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): KeepApart rows cannot be deleted');
END;

CREATE TRIGGER "KeepApartEnd_no_update" BEFORE UPDATE ON "KeepApartEnd"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): KeepApartEnd rows cannot be changed');
END;

CREATE TRIGGER "KeepApartEnd_no_delete" BEFORE DELETE ON "KeepApartEnd"
BEGIN
    SELECT RAISE(ABORT, 'append-only (R8): KeepApartEnd rows cannot be deleted');
END;
