--! Previous: sha1:3850d5c1294e0b9834983873551c3d3582fafc29
--! Hash: sha1:3f42efc4be473122f34c0a386a4d8f4411f99a00
--! Message: An outbound call's dialled number is masked

-- An outbound call's dialled number is the patient's phone number. It was
-- kept in plain text in called_number (and readable as calledNumber) while
-- the same number, as the call's other party, is encrypted, hashed and
-- masked in the caller_number columns. The protect trigger now masks it, and
-- the calls already stored are masked here (mask_phone needs no key).
--! Included calls/column-rules.sql
create or replace function app_private.tg_call_center_records__column_rules()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
declare
  agent_facts constant text[] := array['appointment_date', 'appointment_scheduled', 'appointment_type', 'call_outcome', 'call_priority',
                                       'call_type', 'escalation_required', 'follow_up_date', 'follow_up_required', 'provider_requested'];
  reviewer_facts constant text[] := array['after_call_work_seconds', 'campaign_id', 'complaint_call', 'compliance_notes',
                                          'first_call_resolution', 'recording_reviewed'];
  changed text[];
  hit text[];
begin
  -- Background jobs (no person) and the consequences of another change are not a person's choice of values.
  if auth.uid() is null or pg_trigger_depth() > 1 then
    return new;
  end if;
  changed := array(select n.key from jsonb_each(to_jsonb(new)) n where n.value is distinct from (to_jsonb(old) -> n.key) order by 1);
  if 'customer_satisfaction_score' = any (changed) and not app_hidden.has_permission('configureMetrics') then
    raise exception 'customer_satisfaction_score comes from the survey source or a manager (configureMetrics); you may not set it.'
      using errcode = 'CC601';
  end if;
  if app_hidden.has_permission('reviewJournals') then
    return new;
  end if;
  hit := array(select unnest(changed) intersect select unnest(reviewer_facts) order by 1);
  if cardinality(hit) > 0 then
    raise exception '% may be set by supervisors and above (reviewJournals) only.', array_to_string(hit, ', ')
      using errcode = 'CC601';
  end if;
  hit := array(select unnest(changed) intersect select unnest(agent_facts) order by 1);
  if cardinality(hit) > 0 then
    if old.agent_email is distinct from auth.email()::citext then
      raise exception '% may be set by the agent who answered the call, or by supervisors and above (reviewJournals).', array_to_string(hit, ', ')
        using errcode = 'CC601';
    end if;
    if app_hidden.call_reviewed(old.id) then
      raise exception 'This call has been reviewed by a supervisor: % may now be changed by supervisors and above (reviewJournals) only.', array_to_string(hit, ', ')
        using errcode = 'CC602';
    end if;
  end if;
  return new;
end;
$function$;
comment on function app_private.tg_call_center_records__column_rules() is 'Who may set which fact of a call: the answering agent the call''s own facts until a supervisor has reviewed it (CC602), supervisors and above (reviewJournals) FCR, after-call work, complaint and review marks, managers (configureMetrics) or the survey source satisfaction (CC601).';
revoke all on function app_private.tg_call_center_records__column_rules() from public, app_visitor, app_worker, app_analyst, app_authenticator;

create or replace function app_private.tg_call_center_records__protect()
 returns trigger
 language plpgsql
 set search_path to 'pg_catalog', 'public', 'pg_temp'
as $function$
begin
  if new.caller_number is not null then
    new.caller_number_encrypted := case when new.caller_number = '' then null else app_hidden.phi_encrypt(new.caller_number) end;
    new.caller_number_hash := app_hidden.caller_key(new.caller_number);
    new.caller_number_masked := app_hidden.mask_phone(new.caller_number);
    new.caller_number := null;
  end if;
  if new.caller_name is not null then
    new.caller_name_encrypted := case when new.caller_name = '' then null else app_hidden.phi_encrypt(new.caller_name) end;
    new.caller_name_masked := app_hidden.mask_name(new.caller_name);
    new.caller_name := null;
  end if;
  if new.patient_mrn is not null then
    new.patient_mrn_encrypted := case when new.patient_mrn = '' then null else app_hidden.phi_encrypt(new.patient_mrn) end;
    new.patient_mrn_masked := app_hidden.mask_mrn(new.patient_mrn);
    new.patient_mrn := null;
  end if;
  if new.recording_url is not null then
    new.recording_url_encrypted := case when new.recording_url = '' then null else app_hidden.phi_encrypt(new.recording_url) end;
    new.recording_available := new.recording_url <> '' or new.recording_available;
    new.recording_url := null;
  end if;
  if new.compliance_notes is not null then
    new.compliance_notes_encrypted := case when new.compliance_notes = '' then null else app_hidden.phi_encrypt(new.compliance_notes) end;
    new.compliance_notes_masked := app_hidden.mask_text(new.compliance_notes);
    new.compliance_notes := null;
  end if;
  -- An outbound call's dialled number is the patient's: kept protected as the caller number (the other party),
  -- shown here only as its last four digits (masking a masked number changes nothing).
  if new.call_direction = 'outbound' and new.called_number is not null then
    new.called_number := app_hidden.mask_phone(new.called_number);
  end if;
  return new;
end;
$function$;
revoke all on function app_private.tg_call_center_records__protect() from public, app_visitor, app_worker, app_analyst, app_authenticator;
--! EndIncluded calls/column-rules.sql
update app_public.call_center_records
   set called_number = app_hidden.mask_phone(called_number)
 where call_direction = 'outbound' and called_number is not null
   and called_number is distinct from app_hidden.mask_phone(called_number);
comment on column app_public.call_center_records.called_number is 'Number dialled: the practice''s number an inbound call dialled; for an outbound call the patient''s number, last four digits only (its protected copy is the caller number).';
