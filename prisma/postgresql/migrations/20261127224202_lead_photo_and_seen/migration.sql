-- CreateTable
CREATE TABLE "StaffPhoto" (
    "staffId" TEXT NOT NULL,
    "image" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffPhoto_pkey" PRIMARY KEY ("staffId")
);

-- CreateTable
CREATE TABLE "WaitingSeen" (
    "id" TEXT NOT NULL,
    "attendeeId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WaitingSeen_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WaitingSeen_attendeeId_createdAt_idx" ON "WaitingSeen"("attendeeId", "createdAt");

-- AddForeignKey
ALTER TABLE "StaffPhoto" ADD CONSTRAINT "StaffPhoto_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rule R8 (hand-written, as in 20261125154900_append_only): that a console showed someone waiting
-- is a record of the service telling them so, append-only. The photo is personal data and may be
-- replaced or removed. (No semicolons or quotes in these comments: the runner splits on them.)

CREATE TRIGGER "WaitingSeen_append_only" BEFORE UPDATE OR DELETE ON "WaitingSeen"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "WaitingSeen_no_truncate" BEFORE TRUNCATE ON "WaitingSeen"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();
