-- A contract's own people limit (issue 10: where the seeds are silent, the reading is a contract setting): how many
-- people may log time on one of its tickets, replacing the count of its policy's maxPeoplePerTicket (Care Solutions:
-- 3 on remote assistance, seed 002's "max trois intervenants"); the services it applies to stay the policy's. Null:
-- the policy's.
ALTER TABLE contracts ADD COLUMN max_people_per_ticket integer CHECK (max_people_per_ticket BETWEEN 1 AND 1000);
