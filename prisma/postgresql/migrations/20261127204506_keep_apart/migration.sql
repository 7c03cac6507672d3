-- CreateEnum
CREATE TYPE "PersonType" AS ENUM ('member', 'volunteer', 'staff');

-- CreateTable
CREATE TABLE "KeepApart" (
    "id" TEXT NOT NULL,
    "aType" "PersonType" NOT NULL,
    "aId" TEXT NOT NULL,
    "bType" "PersonType" NOT NULL,
    "bId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "until" TIMESTAMP(3),
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeepApart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeepApartEnd" (
    "id" TEXT NOT NULL,
    "keepApartId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "endedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeepApartEnd_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KeepApart_aId_idx" ON "KeepApart"("aId");

-- CreateIndex
CREATE INDEX "KeepApart_bId_idx" ON "KeepApart"("bId");

-- CreateIndex
CREATE UNIQUE INDEX "KeepApartEnd_keepApartId_key" ON "KeepApartEnd"("keepApartId");

-- AddForeignKey
ALTER TABLE "KeepApartEnd" ADD CONSTRAINT "KeepApartEnd_keepApartId_fkey" FOREIGN KEY ("keepApartId") REFERENCES "KeepApart"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rule R8 (hand-written, as in 20261125154900_append_only): keep-apart entries and their ends are
-- append-only. (No semicolons or quotes in these comments: the migration runner splits on them.)

CREATE TRIGGER "KeepApart_append_only" BEFORE UPDATE OR DELETE ON "KeepApart"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "KeepApart_no_truncate" BEFORE TRUNCATE ON "KeepApart"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "KeepApartEnd_append_only" BEFORE UPDATE OR DELETE ON "KeepApartEnd"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "KeepApartEnd_no_truncate" BEFORE TRUNCATE ON "KeepApartEnd"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();
