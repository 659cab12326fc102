-- Friendships reach the policy change feed like consents and settings do (issue 15): a friendship made or ended is a
-- change to the friend lists of both people, which gateways apply and the decision input recorder commits as each
-- person's whole friend list. The seeder disables these triggers while it loads a world, as it does the others, and
-- announces the world with one world_seeded change instead.
create function custos_record_friendship_change() returns trigger language plpgsql as $$
begin
    if TG_OP in ('UPDATE', 'DELETE') then
        insert into policy_changes (kind, ref_id, person_id)
        values ('friends', OLD.person_b, OLD.person_a), ('friends', OLD.person_a, OLD.person_b);
    end if;
    if TG_OP in ('INSERT', 'UPDATE') then
        insert into policy_changes (kind, ref_id, person_id)
        values ('friends', NEW.person_b, NEW.person_a), ('friends', NEW.person_a, NEW.person_b);
    end if;
    return null;
end
$$;

create trigger friendships_policy_change after insert or update or delete on friendships
    for each row execute function custos_record_friendship_change();
