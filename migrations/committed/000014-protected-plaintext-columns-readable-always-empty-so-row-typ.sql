--! Previous: sha1:262706b561835daf62f30e4cb16cf2e130df3b5e
--! Hash: sha1:61baef4fb482927f973a92a5be0c07cb4a068c21
--! Message: protected plaintext columns readable (always empty) so row types work; kept out of API output

/*
 * The write-only plaintext columns hold nothing at rest (a CHECK keeps them
 * NULL), so reading them reveals nothing; people need SELECT on them for
 * functions returning whole rows (search_call_journals). The API still shows
 * them only as inputs.
 */
grant select (caller_number, caller_name, patient_mrn, recording_url, compliance_notes) on app_public.call_center_records to app_visitor;
grant select (detailed_notes, patient_concern, resolution_provided, follow_up_notes, coaching_notes) on app_public.call_journals to app_visitor;

comment on column app_public.call_center_records.caller_number is E'@behavior -select -filterBy -orderBy\nWrite-only: the caller''s number, stored encrypted (read callerNumberMasked, or reveal it).';
comment on column app_public.call_center_records.caller_name is E'@behavior -select -filterBy -orderBy\nWrite-only: the caller''s name, stored encrypted (read callerNameMasked, or reveal it).';
comment on column app_public.call_center_records.patient_mrn is E'@behavior -select -filterBy -orderBy\nWrite-only: patient medical record number, stored encrypted (read patientMrnMasked, or reveal it).';
comment on column app_public.call_center_records.recording_url is E'@behavior -select -filterBy -orderBy\nWrite-only: where the recording is, stored encrypted; revealed to accessRecordings holders only.';
comment on column app_public.call_center_records.compliance_notes is E'@behavior -select -filterBy -orderBy\nWrite-only: compliance notes, stored encrypted; set to an empty string to clear.';
comment on column app_public.call_journals.detailed_notes is E'@behavior -select -filterBy -orderBy\nWrite-only: detailed notes, stored encrypted (read detailedNotesMasked, or reveal them); an empty string clears.';
comment on column app_public.call_journals.patient_concern is E'@behavior -select -filterBy -orderBy\nWrite-only: the patient''s concern, stored encrypted; an empty string clears.';
comment on column app_public.call_journals.resolution_provided is E'@behavior -select -filterBy -orderBy\nWrite-only: how it was addressed, stored encrypted; an empty string clears.';
comment on column app_public.call_journals.follow_up_notes is E'@behavior -select -filterBy -orderBy\nWrite-only: follow-up notes, stored encrypted; an empty string clears.';
comment on column app_public.call_journals.coaching_notes is E'@behavior -select -filterBy -orderBy\nWrite-only: reviewer''s coaching notes (reviewJournals only), stored encrypted; an empty string clears.';
