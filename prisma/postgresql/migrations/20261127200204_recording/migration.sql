-- CreateEnum
CREATE TYPE "RecordingStatus" AS ENUM ('requested', 'starting', 'active', 'ending', 'complete', 'failed');

-- AlterEnum
ALTER TYPE "ConsentType" ADD VALUE 'social-media';

-- CreateTable
CREATE TABLE "Recording" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "egressId" TEXT,
    "status" "RecordingStatus" NOT NULL DEFAULT 'requested',
    "startedById" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "stoppedById" TEXT,
    "stoppedAt" TIMESTAMP(3),
    "stopReason" TEXT,
    "location" TEXT,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recording_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecordingAgreement" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "attendeeId" TEXT,
    "staffId" TEXT,
    "agreed" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecordingAgreement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Recording_egressId_key" ON "Recording"("egressId");

-- CreateIndex
CREATE INDEX "Recording_sessionId_idx" ON "Recording"("sessionId");

-- CreateIndex
CREATE INDEX "RecordingAgreement_sessionId_idx" ON "RecordingAgreement"("sessionId");

-- AddForeignKey
ALTER TABLE "Recording" ADD CONSTRAINT "Recording_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rule R8 (hand-written, as in 20261125154900_append_only): what a volunteer or staff member answered
-- about being recorded is append-only, and a recording row follows its egress but is never deleted.

CREATE TRIGGER "RecordingAgreement_append_only" BEFORE UPDATE OR DELETE ON "RecordingAgreement"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "RecordingAgreement_no_truncate" BEFORE TRUNCATE ON "RecordingAgreement"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "Recording_no_delete" BEFORE DELETE ON "Recording"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "Recording_no_truncate" BEFORE TRUNCATE ON "Recording"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();
