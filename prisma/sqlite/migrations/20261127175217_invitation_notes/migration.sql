-- AlterTable
ALTER TABLE "Group" ADD COLUMN "invitationNote" TEXT;
ALTER TABLE "Group" ADD COLUMN "noteWaiverReason" TEXT;
