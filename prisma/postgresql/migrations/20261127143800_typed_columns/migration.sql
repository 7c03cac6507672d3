-- CreateEnum
CREATE TYPE "Audience" AS ENUM ('member', 'carer');

-- CreateEnum
CREATE TYPE "ConsentType" AS ENUM ('video', 'recording');

-- CreateEnum
CREATE TYPE "ConsentGiver" AS ENUM ('carer', 'member');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('written', 'verbal', 'online');

-- CreateEnum
CREATE TYPE "Delivery" AS ENUM ('home', 'venue');

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('scheduled', 'live', 'ended');

-- CreateEnum
CREATE TYPE "AttendeeKind" AS ENUM ('member', 'volunteer');

-- CreateEnum
CREATE TYPE "AttendeeState" AS ENUM ('invited', 'waiting', 'away', 'admitted', 'refused', 'returned', 'removed', 'ended');

-- CreateEnum
CREATE TYPE "LinkKind" AS ENUM ('invite', 'carer');

-- CreateEnum
CREATE TYPE "DecisionAction" AS ENUM ('admit', 'denied', 'refuse', 'return', 'remove');

-- CreateEnum
CREATE TYPE "AttendanceEvent" AS ENUM ('joined', 'left', 'room_finished');

-- Hand-edited: Prisma's diff drops and re-adds each column, which would lose every row. Each
-- column is converted in place instead (a default is dropped first and put back, as a text
-- default cannot be cast). The tables keep their indexes and append-only triggers.

-- AlterTable
ALTER TABLE "AdmissionDecision"
    ALTER COLUMN "action" SET DATA TYPE "DecisionAction" USING "action"::"DecisionAction",
    ALTER COLUMN "checks" SET DATA TYPE JSONB USING "checks"::jsonb;

-- AlterTable
ALTER TABLE "Attendance" ALTER COLUMN "event" SET DATA TYPE "AttendanceEvent" USING "event"::"AttendanceEvent";

-- AlterTable
ALTER TABLE "Attendee"
    ALTER COLUMN "kind" SET DATA TYPE "AttendeeKind" USING "kind"::"AttendeeKind",
    ALTER COLUMN "state" DROP DEFAULT,
    ALTER COLUMN "state" SET DATA TYPE "AttendeeState" USING "state"::"AttendeeState",
    ALTER COLUMN "state" SET DEFAULT 'invited';

-- AlterTable
ALTER TABLE "Consent"
    ALTER COLUMN "type" SET DATA TYPE "ConsentType" USING "type"::"ConsentType",
    ALTER COLUMN "givenBy" SET DATA TYPE "ConsentGiver" USING "givenBy"::"ConsentGiver",
    ALTER COLUMN "method" SET DATA TYPE "ConsentMethod" USING "method"::"ConsentMethod";

-- AlterTable
ALTER TABLE "GuidelinesVersion"
    ALTER COLUMN "audience" SET DATA TYPE "Audience" USING "audience"::"Audience",
    ALTER COLUMN "body" SET DATA TYPE JSONB USING "body"::jsonb;

-- AlterTable
ALTER TABLE "Link" ALTER COLUMN "kind" SET DATA TYPE "LinkKind" USING "kind"::"LinkKind";

-- AlterTable
ALTER TABLE "Session"
    ALTER COLUMN "delivery" SET DATA TYPE "Delivery" USING "delivery"::"Delivery",
    ALTER COLUMN "status" DROP DEFAULT,
    ALTER COLUMN "status" SET DATA TYPE "SessionStatus" USING "status"::"SessionStatus",
    ALTER COLUMN "status" SET DEFAULT 'scheduled',
    ALTER COLUMN "summary" SET DATA TYPE JSONB USING "summary"::jsonb;

-- AlterTable
ALTER TABLE "Settings" ALTER COLUMN "agreedHours" SET DATA TYPE JSONB USING "agreedHours"::jsonb;
