-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "invitationNote" TEXT,
ADD COLUMN     "noteWaiverReason" TEXT;
