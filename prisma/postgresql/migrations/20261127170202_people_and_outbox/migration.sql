-- AlterTable
ALTER TABLE "Attendee" ADD COLUMN     "volunteerId" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "email" TEXT;

-- AlterTable
ALTER TABLE "Settings" ADD COLUMN     "inviteDaysBefore" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "occurrenceWeeksAhead" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "reminderHoursBefore" INTEGER NOT NULL DEFAULT 24;

-- CreateTable
CREATE TABLE "Volunteer" (
    "id" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "email" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Volunteer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" TEXT NOT NULL,
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
    "dueAt" TIMESTAMP(3) NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "sendBy" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxAttempt" (
    "id" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reply" TEXT,
    "retryAt" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutboxAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_sessionId_idx" ON "OutboxMessage"("sessionId");

-- CreateIndex
CREATE INDEX "OutboxMessage_notBefore_idx" ON "OutboxMessage"("notBefore");

-- CreateIndex
CREATE INDEX "OutboxAttempt_messageId_idx" ON "OutboxAttempt"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Attendee_sessionId_volunteerId_key" ON "Attendee"("sessionId", "volunteerId");

-- AddForeignKey
ALTER TABLE "Attendee" ADD CONSTRAINT "Attendee_volunteerId_fkey" FOREIGN KEY ("volunteerId") REFERENCES "Volunteer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxAttempt" ADD CONSTRAINT "OutboxAttempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "OutboxMessage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rule R8: what the service sent, and every attempt to send it, are communications: append-only,
-- refused by the database itself (hand-written, as in 20261125154900_append_only).

CREATE TRIGGER "OutboxMessage_append_only" BEFORE UPDATE OR DELETE ON "OutboxMessage"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "OutboxMessage_no_truncate" BEFORE TRUNCATE ON "OutboxMessage"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();

CREATE TRIGGER "OutboxAttempt_append_only" BEFORE UPDATE OR DELETE ON "OutboxAttempt"
    FOR EACH ROW EXECUTE FUNCTION "gatekeeper_append_only"();
CREATE TRIGGER "OutboxAttempt_no_truncate" BEFORE TRUNCATE ON "OutboxAttempt"
    FOR EACH STATEMENT EXECUTE FUNCTION "gatekeeper_append_only"();
