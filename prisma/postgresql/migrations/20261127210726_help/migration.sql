-- CreateTable
CREATE TABLE "HelpRequest" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "attendeeId" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpAnswer" (
    "id" TEXT NOT NULL,
    "helpRequestId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HelpRequest_attendeeId_idx" ON "HelpRequest"("attendeeId");

-- CreateIndex
CREATE INDEX "HelpRequest_sessionId_idx" ON "HelpRequest"("sessionId");

-- CreateIndex
CREATE UNIQUE INDEX "HelpAnswer_helpRequestId_key" ON "HelpAnswer"("helpRequestId");

-- AddForeignKey
ALTER TABLE "HelpAnswer" ADD CONSTRAINT "HelpAnswer_helpRequestId_fkey" FOREIGN KEY ("helpRequestId") REFERENCES "HelpRequest"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rule R8 (hand-written, as in 20261125154900_append_only): a call for help and its answer are
-- communications, append-only. (No semicolons or quotes in these comments: the runner splits on them.)

CREATE TRIGGER "HelpRequest_append_only" BEFORE UPDATE OR DELETE ON "HelpRequest"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "HelpRequest_no_truncate" BEFORE TRUNCATE ON "HelpRequest"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "HelpAnswer_append_only" BEFORE UPDATE OR DELETE ON "HelpAnswer"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "HelpAnswer_no_truncate" BEFORE TRUNCATE ON "HelpAnswer"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();
