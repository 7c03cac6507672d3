-- AlterTable
ALTER TABLE "Session" ADD COLUMN "plan" JSONB;
