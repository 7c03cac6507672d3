-- CreateTable
CREATE TABLE "Group" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "leadStaffId" TEXT NOT NULL,
    "secondStaffId" TEXT,
    "schedule" JSONB NOT NULL,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "GroupPerson" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "groupId" TEXT NOT NULL,
    "memberId" TEXT,
    "volunteerId" TEXT,
    "addedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" DATETIME,
    CONSTRAINT "GroupPerson_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "startsAt" DATETIME NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "delivery" TEXT NOT NULL,
    "leadStaffId" TEXT NOT NULL,
    "secondStaffId" TEXT,
    "roomName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "allowData" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "summary" JSONB,
    "groupId" TEXT,
    "occurrenceDate" TEXT,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    CONSTRAINT "Session_leadStaffId_fkey" FOREIGN KEY ("leadStaffId") REFERENCES "Staff" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Session_secondStaffId_fkey" FOREIGN KEY ("secondStaffId") REFERENCES "Staff" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Session_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("allowData", "createdAt", "createdById", "delivery", "endedAt", "endsAt", "id", "leadStaffId", "roomName", "secondStaffId", "startedAt", "startsAt", "status", "summary", "title") SELECT "allowData", "createdAt", "createdById", "delivery", "endedAt", "endsAt", "id", "leadStaffId", "roomName", "secondStaffId", "startedAt", "startsAt", "status", "summary", "title" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_roomName_key" ON "Session"("roomName");
CREATE INDEX "Session_startsAt_idx" ON "Session"("startsAt");
CREATE UNIQUE INDEX "Session_groupId_occurrenceDate_key" ON "Session"("groupId", "occurrenceDate");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "GroupPerson_groupId_idx" ON "GroupPerson"("groupId");
