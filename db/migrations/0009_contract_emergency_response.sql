-- A contract's own emergency response target, replacing its policy's (issue 10, item 5): {amount, unit} in whole
-- calendar hours, as the policy documents spell a duration. Null: the policy's target.
ALTER TABLE contracts ADD COLUMN emergency_response_target jsonb
  CHECK (emergency_response_target IS NULL OR (
    emergency_response_target->>'unit' = 'calendarHours'
    AND jsonb_typeof(emergency_response_target->'amount') = 'number'
    AND (emergency_response_target->>'amount')::numeric BETWEEN 1 AND 24
  ));
