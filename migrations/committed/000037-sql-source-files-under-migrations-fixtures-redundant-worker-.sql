--! Previous: sha1:bad2ca8677581c02db50a626b494ed0eb0879f03
--! Hash: sha1:5c0dbca71bd97fdf839a14e43acd3159818f4619
--! Message: SQL source files under migrations/fixtures; redundant worker column grants dropped

--! Included access/call_center_records.sql
drop policy if exists select_in_scope on app_public.call_center_records;
create policy select_in_scope on app_public.call_center_records for select to app_visitor
  using ((( SELECT app_hidden.sees_all() AS sees_all) OR (location = ANY (( SELECT app_hidden.team_locations() AS team_locations)::text[])) OR (agent_email = ( SELECT app_hidden.own_email() AS own_email))));

drop policy if exists update_edit_call_journals on app_public.call_center_records;
create policy update_edit_call_journals on app_public.call_center_records for update to app_visitor
  using ((( SELECT app_hidden.has_permission('editCallJournals'::text) AS has_permission) AND (( SELECT app_hidden.sees_all() AS sees_all) OR (location = ANY (( SELECT app_hidden.team_locations() AS team_locations)::text[])) OR (agent_email = ( SELECT app_hidden.own_email() AS own_email)))))
  with check ((( SELECT app_hidden.has_permission('editCallJournals'::text) AS has_permission) AND (( SELECT app_hidden.sees_all() AS sees_all) OR (location = ANY (( SELECT app_hidden.team_locations() AS team_locations)::text[])) OR (agent_email = ( SELECT app_hidden.own_email() AS own_email)))));

revoke all on app_public.call_center_records from public, app_visitor, app_worker, app_analyst, app_authenticator;
grant delete, insert, select, update on app_public.call_center_records to app_worker;
grant select (after_call_work_seconds, agent_email, agent_extension, agent_name, answer_time_known, appointment_date, appointment_scheduled, appointment_type, call_answer_time, call_direction, call_end_time, call_id, call_outcome, call_priority, call_start_time, call_status, call_type, call_type_source, called_number, caller_name, caller_name_encrypted, caller_name_masked, caller_number, caller_number_encrypted, caller_number_hash, caller_number_masked, campaign_id, complaint_call, compliance_notes, compliance_notes_encrypted, compliance_notes_masked, created_at, customer_satisfaction_score, ended_in, escalation_required, fcr_final, fcr_source, first_call_resolution, follow_up_date, follow_up_required, hold_time_seconds, id, location, patient_mrn, patient_mrn_encrypted, patient_mrn_masked, pbx_route, provider_requested, quality_score, queue_entered_at, queue_name, recording_available, recording_reviewed, recording_url, recording_url_encrypted, ring_duration_seconds, shift_id, talk_duration_seconds, transfer_count, updated_at, wait_seconds) on app_public.call_center_records to app_visitor;
grant update (after_call_work_seconds, appointment_date, appointment_scheduled, appointment_type, call_outcome, call_priority, call_type, campaign_id, complaint_call, compliance_notes, customer_satisfaction_score, escalation_required, first_call_resolution, follow_up_date, follow_up_required, provider_requested, recording_reviewed) on app_public.call_center_records to app_visitor;
--! EndIncluded access/call_center_records.sql
