/**
 * The PRD's REST paths, as one table: each maps a method and path to a stored
 * GraphQL document, says how path, query string and body become its
 * variables (zod: a wrong input is a 400 naming the field), and how the
 * answer is shaped (a list in the paging envelope, or one object). Every
 * rule stays in SQL: a route only names an operation of the GraphQL API.
 * Field names in answers are the PRD's (snake_case of the GraphQL names).
 */
import { z } from "zod";

export interface ListEnvelope {
  /** Where the connection sits in the GraphQL answer. */
  connection: string;
}

export interface RestRoute {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** Express-style path; `:name` segments are path parameters. */
  path: string;
  summary: string;
  /** Who may call it (the policies decide; this is for the documentation). */
  who: string;
  /** Path parameters, query string and body, merged, validated and turned into the document's variables. */
  input: z.ZodType<Record<string, unknown>>;
  document: string;
  /** SQL argument names (an error's column) as the REST field a person typed, where they differ. */
  fields?: Record<string, string>;
  /**
   * A list answer (paging envelope); one object at this path of the answer (dotted, e.g.
   * `createCallJournal.callJournal`; with several paths, the first that holds an object, for a document
   * whose root fields are chosen by @include/@skip; none is a 404); the list at such a path (what a mutation
   * made, answered as `{"data": [...]}`); one value of a mutation's payload answered as `{[as]: value}`; or a report
   * document (a JSON root field) answered untouched.
   */
  answer:
    | { list: ListEnvelope }
    | { one: string | string[] }
    | { items: string }
    | { value: [field: string, key: string]; as: string }
    /**
     * A report document (server/reports/report-document.ts) at this root field, answered as it is (its keys are already
     * snake_case); such a route also answers CSV, HTML and PDF, chosen by `?format=` or the Accept header, and takes
     * `format` and `section` beside its input (server/rest/report-formats.ts).
     */
    | { document: string };
  /** The largest JSON body accepted (POST, PUT, PATCH); default 100 kB. */
  bodyLimit?: string;
  /** The status of a success: 200 (default), 201 for a record created, 202 for work queued. */
  status?: 200 | 201 | 202;
  /**
   * Also takes a `text/csv` body: a header row naming the columns, then one record per line, parsed (csv-parse)
   * into a list of objects put at `field` of the input, each with its file `line`; a body that is not CSV is a 400.
   */
  csv?: { field: string; description: string };
}

const CALL_FIELDS = `rowId callId location queueName agentExtension agentEmail agentName callerNumberMasked callerNameMasked
  calledNumber callDirection callType callStartTime callAnswerTime callEndTime queueEntryTime ringDurationSeconds: ringSeconds
  waitSeconds talkDurationSeconds: talkSeconds holdTimeSeconds: holdSeconds afterCallWorkSeconds: acwSeconds answerTimeKnown callStatus callOutcome endedIn
  transferCount firstCallResolution fcrFinal fcrSource appointmentScheduled appointmentDate appointmentType
  customerSatisfactionScore complaintCall escalationRequired followUpRequired followUpDate qualityScore
  recordingAvailable recordingReviewed callPriority campaignId createdAt updatedAt`;

const page = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
};
const isoTime = z.iso.datetime({ offset: true, message: "an ISO 8601 time with its offset, e.g. 2026-11-30T08:00:00-05:00" });
const uuid = z.uuid({ message: "a record id (UUID)" });

const DAY_MS = 86_400_000;

const PROCESSING_JOB_FIELDS = `rowId kind status parameters attempts result lastError createdAt startedAt finishedAt`;
const PBX_AGENT_FIELDS = `rowId extension displayName pbxEmail userEmail location: locationName isRegistered isActive pbxSyncedAt`;

const REPORT_RUN_FIELDS = `rowId scheduleId origin report forDay fromDay toDay filters format channel recipients status attempts warnings
  documentId lastError createdAt startedAt producedAt finishedAt
  deliveries: reportDeliveriesByRunId(orderBy: [CHANNEL_ASC, RECIPIENT_ASC]) { nodes { channel recipient status attempts lastError sentAt } }`;

const AGENT_RANGE_FIELDS = `agentEmail agentExtension agentName location fromDay toDay daysWithCalls callsHandled callsHandledInbound
  callsMissed talkSeconds callsTalkUnknown holdSeconds acwSeconds ahtSeconds availableSeconds callsPerHour utilizationPct occupancyPct
  talkTimePct fcrResolved fcrFinal fcrProvisional fcrPct appointments appointmentConversionPct csatSum csatCount csatAvg complaints
  complaintRatePct qualityScoreSum qualityReviews qualityScoreAvg`;
const TEAM_RANGE_FIELDS = `location allLocations teamName fromDay toDay days agentDays callsHandled callsHandledInbound callsMissed
  talkSeconds callsTalkUnknown holdSeconds acwSeconds ahtSeconds availableSeconds callsPerHour callsPerAgentPerDay utilizationPct
  occupancyPct fcrResolved fcrFinal fcrProvisional fcrPct appointments appointmentConversionPct csatSum csatCount csatAvg complaints
  complaintRatePct qualityScoreSum qualityReviews qualityScoreAvg shiftsScheduled shiftsNotAbsent attendanceRatePct shiftsStarted
  shiftsOnTime punctualityRatePct scheduledSeconds adherentSeconds scheduleAdherencePct agentDaysWithGoals agentDaysMeetingGoals
  teamGoalAchievementPct trainingHoursCompleted coachingSessionsConducted`;
const day = z.iso.date({ message: "a business day as YYYY-MM-DD" });
const dayRange = { from: day, to: day };
/** A report's business-hours limit in a query string: true or false (default false). */
const businessHoursOnly = z
  .enum(["true", "false"], { message: "true or false" })
  .default("false")
  .transform((v) => v === "true");

/** A QA review as REST answers it: every column but none of the call's patient data (the recording's location needs a reveal). */
const QA_REVIEW_FIELDS = `rowId callRecordId agentEmail reviewerEmail reviewerName reviewDate reviewType greetingProfessionalism activeListening
  problemResolution productKnowledge communicationClarity empathyPatience callControl closingEffectiveness totalScore percentageScore
  strengthsObserved improvementAreas specificCoachingPoints recognitionWorthy actionItemsRequired followUpReviewNeeded followUpDate
  additionalTrainingRecommended reviewStatus completedAt agentDiscussionDate agentAcknowledgment recordingAvailable createdAt updatedAt`;
const COACHING_FIELDS = `agentEmail agentName location month reviewsConsidered averagePct greetingProfessionalismAvg activeListeningAvg
  problemResolutionAvg productKnowledgeAvg communicationClarityAvg empathyPatienceAvg callControlAvg closingEffectivenessAvg lowCategories
  reviewsThisMonth quota behindBy reasons`;
/** A category score: 1–5, or null for "not applicable". */
const score = z.number().int().min(1).max(5).nullable().optional();
const longText = z.string().max(8000).optional();
const textList = z.array(z.string().min(1).max(500)).max(50).optional();
const QA_CATEGORIES = [
  "greeting_professionalism", "active_listening", "problem_resolution", "product_knowledge",
  "communication_clarity", "empathy_patience", "call_control", "closing_effectiveness",
] as const;
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "a month as YYYY-MM" });

/** A shift as REST answers it, in the PRD's names. */
const SHIFT_FIELDS = `rowId agentEmail agentName location shiftDate scheduledStartTime scheduledEndTime actualStartTime actualEndTime unscheduled
  shiftStatus tardinessMinutes earlyDepartureMinutes totalBreakTimeMinutes lunchBreakMinutes trainingTimeMinutes meetingTimeMinutes
  callsHandled callsMissed totalTalkTimeSeconds: talkSeconds totalAfterCallWorkSeconds: acwSeconds totalAvailableTimeSeconds: availableSeconds
  utilizationPercentage: utilizationPct callsPerHour callTarget appointmentTarget qualityTarget shiftNotes createdAt updatedAt`;
const BREAK_FIELDS = `rowId shiftId agentEmail location breakType startedAt endedAt minutes`;
const SCHEDULE_CHANGE_FIELDS = `firstDay lastDay created updated unchanged keptStarted`;
const COVERAGE_FIELDS = `location businessDay intervalStart queues forecastOffered requiredAgents scheduledAgents workingAgents shortfallAgents`;
const SHIFT_KPI_FIELDS = `shiftId agentEmail agentName location shiftDate scheduledStartTime scheduledEndTime actualStartTime actualEndTime shiftStatus
  unscheduled absent tardinessMinutes earlyDepartureMinutes totalBreakTimeMinutes lunchBreakMinutes trainingTimeMinutes meetingTimeMinutes
  scheduledSeconds adherentSeconds adherencePct availableSeconds callsHandled callsMissed talkSeconds acwSeconds utilizationPct callsPerHour`;
/** A schedule row as uploaded (JSON or one CSV record): every value a string, checked in SQL so every bad row is reported at once. */
const cell = (max: number) => z.string().max(max).optional();
const scheduleRow = z
  .object({
    line: z.number().int().min(1).optional(),
    agent: cell(200),
    location: cell(100),
    shift_date: cell(20),
    scheduled_start_time: cell(20),
    scheduled_end_time: cell(20),
    shift_notes: cell(4000),
  })
  .strict();
const minutes = z.number().int().min(0).max(1440).optional();
const noBody = z.object({}).strict();
const JOURNAL_FIELDS = `rowId callRecordId agentEmail callSummary detailedNotesMasked patientConcernMasked resolutionProvidedMasked
  actionItems followUpRequired followUpType followUpDate followUpNotesMasked callTags departmentInvolved referralMade referralType
  coachingNotesMasked trainingOpportunities commendationWorthy improvementAreas journalStatus submittedAt reviewedBy reviewedAt
  reviewScore createdBy createdAt updatedAt`;

/** A snake_case REST name as its camelCase GraphQL name. */
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const camelKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));

/**
 * What a person may write in a journal, by type only: which values are allowed, who may set what and
 * which status moves are legal is decided in SQL (journals/review-rules.sql), and answered 400, 403 or 409.
 * null clears what may be empty; a protected note is cleared with "" (and null leaves it as it is).
 */
const items = z.array(z.string());
const JOURNAL_WRITABLE = {
  call_summary: z.string(),
  detailed_notes: z.string(),
  patient_concern: z.string(),
  resolution_provided: z.string(),
  action_items: items.nullable(),
  follow_up_required: z.boolean(),
  follow_up_type: z.string().nullable(),
  follow_up_date: day.nullable(),
  follow_up_notes: z.string(),
  call_tags: items.nullable(),
  department_involved: items.nullable(),
  referral_made: z.boolean(),
  referral_type: z.string().nullable(),
  coaching_notes: z.string(),
  training_opportunities: items.nullable(),
  commendation_worthy: z.boolean(),
  improvement_areas: items.nullable(),
  journal_status: z.enum(["draft", "submitted", "reviewed", "approved"]),
  review_score: z.number().int(),
};
/** A journal to create: its call and summary, and any of the rest (not given: the agent is you, the status draft). */
const journalToCreate = z
  .object(JOURNAL_WRITABLE)
  .partial()
  .extend({ call_record_id: uuid, call_summary: z.string(), agent_email: z.email({ message: "an agent's email" }).optional() })
  .strict();
/** A journal's changes: any writable field; fields not sent stay as they are. */
const journalChanges = z.object(JOURNAL_WRITABLE).partial().strict();


/** A goal as the PRD names its fields, with its change history. */
const GOAL_FIELDS = `rowId agentEmail goalPeriod periodStartDate periodEndDate callsPerDayTarget talkTimePercentageTarget: talkTimePctTarget
  firstCallResolutionTarget customerSatisfactionTarget appointmentConversionTarget qualityScoreTarget callsPerDayActual
  talkTimePercentageActual: talkTimePctActual firstCallResolutionActual customerSatisfactionActual appointmentConversionActual
  qualityScoreActual goalsMet totalGoals achievementPercentage: achievementPct developmentAreas coachingFocus improvementPlan
  recognitionEarned goalStatus teamGoalId createdBy lastReviewedAt reviewedBy createdAt updatedAt
  history: performanceGoalChangesByGoalId(orderBy: [CHANGED_AT_ASC]) { nodes { changedAt changedBy change oldGoalStatus newGoalStatus oldValues newValues reason } }`;
const ACHIEVEMENT_FIELDS = `goalId agentEmail agentName location goalPeriod periodStartDate periodEndDate goalStatus teamGoalId fromDay toDay
  callsPerDayTarget callsPerDayActual talkTimePercentageTarget: talkTimePctTarget talkTimePercentageActual: talkTimePctActual
  firstCallResolutionTarget firstCallResolutionActual customerSatisfactionTarget customerSatisfactionActual appointmentConversionTarget
  appointmentConversionActual qualityScoreTarget qualityScoreActual goalsMet totalGoals achievementPercentage: achievementPct allMet`;
const CAMPAIGN_FIELDS = `rowId campaignName campaignType location startDate endDate campaignStatus targetAudience targetCallCount
  targetConversionRate: targetConversionPct assignedAgents priorityLevel campaignCode dialledNumberCount callsAttempted callsCompleted
  successfulOutcomes conversionRate: conversionPct callScript talkingPoints requiredDocumentation trainingMaterials campaignNotes
  createdBy managedBy createdAt updatedAt
  statusHistory: callCampaignStatusChangesByCampaignId(orderBy: [CHANGED_AT_ASC]) { nodes { changedAt changedBy oldStatus newStatus reason } }`;
const ATTEMPT_FIELDS = `rowId campaignId agentEmail attemptedAt outcome reached successful calledNumberMasked callRecordId createdBy createdAt`;
const CAMPAIGN_DAY_FIELDS = `campaignId campaignName location businessDay agentEmail agentName callsAttempted callsCompleted successfulOutcomes
  conversionRate: conversionPct targetConversionRate: targetConversionPct conversionVsTargetPct loggedAttempts unloggedCalls`;

/** A target or a percentage as GraphQL's BigFloat (a decimal string). */
const decimal = z.number().transform(String);
/** The goal targets in the PRD's names → the GraphQL arguments. */
const goalTargets = {
  calls_per_day_target: z.number().int().optional(),
  talk_time_percentage_target: decimal.optional(),
  first_call_resolution_target: decimal.optional(),
  customer_satisfaction_target: decimal.optional(),
  appointment_conversion_target: decimal.optional(),
  quality_score_target: decimal.optional(),
};
const goalTargetVariables = (b: { [K in keyof typeof goalTargets]?: z.output<(typeof goalTargets)[K]> }) => ({
  callsPerDayTarget: b.calls_per_day_target,
  talkTimePctTarget: b.talk_time_percentage_target,
  firstCallResolutionTarget: b.first_call_resolution_target,
  customerSatisfactionTarget: b.customer_satisfaction_target,
  appointmentConversionTarget: b.appointment_conversion_target,
  qualityScoreTarget: b.quality_score_target,
});
const GOAL_TARGET_ARGS = `$callsPerDayTarget: Int, $talkTimePctTarget: BigFloat, $firstCallResolutionTarget: BigFloat,
  $customerSatisfactionTarget: BigFloat, $appointmentConversionTarget: BigFloat, $qualityScoreTarget: BigFloat`;
const GOAL_TARGET_INPUT = `callsPerDayTarget: $callsPerDayTarget, talkTimePctTarget: $talkTimePctTarget,
  firstCallResolutionTarget: $firstCallResolutionTarget, customerSatisfactionTarget: $customerSatisfactionTarget,
  appointmentConversionTarget: $appointmentConversionTarget, qualityScoreTarget: $qualityScoreTarget`;
/** SQL argument names (an error's column) as the PRD's body fields. */
const GOAL_TARGET_FIELDS = { talk_time_pct_target: "talk_time_percentage_target", talk_time_percentage_target: "talk_time_percentage_target" };
const goalPeriod = z.enum(["daily", "weekly", "monthly", "quarterly"]);
const shortText = (max: number) => z.string().max(max);
const texts = z.array(z.string().max(500)).max(50);

export const REST_ROUTES: RestRoute[] = [
  {
    method: "get",
    path: "/api/call-records",
    summary: "Calls that started in a time range (at most 93 days; default the last 24 hours), filtered and paged.",
    who: "Every signed-in person: agents their own calls, supervisors their locations', managers all.",
    input: z
      .object({
        from: isoTime.optional(),
        to: isoTime.optional(),
        agent: z.string().min(1).max(100).optional(),
        location: z.string().min(1).max(100).optional(),
        queue: z.string().min(1).max(100).optional(),
        direction: z.enum(["inbound", "outbound", "internal"]).optional(),
        status: z.enum(["completed", "transferred", "abandoned", "missed", "voicemail"]).optional(),
        call_type: z.enum(["appointment", "prescription", "billing", "general", "follow_up"]).optional(),
        sort: z
          .enum(["call_start_time", "-call_start_time", "wait_seconds", "-wait_seconds", "talk_duration_seconds", "-talk_duration_seconds"])
          .default("-call_start_time"),
        ...page,
      })
      .strict()
      .transform((q) => {
        const to = q.to ?? (q.from ? new Date(Date.parse(q.from) + DAY_MS).toISOString() : new Date().toISOString());
        const from = q.from ?? new Date(Date.parse(to) - DAY_MS).toISOString();
        return {
          fromTime: from,
          toTime: to,
          agent: q.agent,
          location: q.location,
          queue: q.queue,
          direction: q.direction,
          status: q.status,
          callType: q.call_type,
          sort: q.sort,
          first: q.page_size,
          offset: (q.page - 1) * q.page_size,
        };
      }),
    document: `query CallRecords($fromTime: Datetime!, $toTime: Datetime!, $agent: String, $location: String, $queue: String,
      $direction: String, $status: String, $callType: String, $sort: String, $first: Int!, $offset: Int!) {
      searchCallRecords(fromTime: $fromTime, toTime: $toTime, agent: $agent, location: $location, queue: $queue,
        direction: $direction, status: $status, callType: $callType, sort: $sort, first: $first, offset: $offset) {
        totalCount
        pageInfo { hasNextPage }
        nodes { ${CALL_FIELDS} }
      }
    }`,
    fields: { from_time: "from", to_time: "to" },
    answer: { list: { connection: "searchCallRecords" } },
  },
  {
    method: "get",
    path: "/api/call-records/:id",
    summary: "One call, with patient data masked (reveal it through revealCallCenterRecord).",
    who: "Every signed-in person, for a call they may see; any other id is a 404.",
    input: z.object({ id: uuid }).strict().transform((p) => ({ rowId: p.id })),
    document: `query CallRecord($rowId: UUID!) { callCenterRecordByRowId(rowId: $rowId) { ${CALL_FIELDS} } }`,
    answer: { one: "callCenterRecordByRowId" },
  },
  {
    method: "post",
    path: "/api/call-records/:id/recording-link",
    summary:
      "A one-time link to the call's recording, valid RECORDING_LINK_SECONDS: GET it once (no token needed) to stream the recording through this service. The phone system's own address is never given out.",
    who: "accessRecordings (supervisors, managers, administrators), for a call they may see; a reason is required. Counted and audited as a reveal.",
    input: z
      .object({ id: uuid, reason: z.string().min(1).max(1000) })
      .strict()
      .transform((b) => ({ callId: b.id, reason: b.reason })),
    document: `mutation RecordingLink($callId: UUID!, $reason: String!) {
      requestRecordingLink(input: { callId: $callId, reason: $reason }) { result { url expiresAt callId } }
    }`,
    fields: { call_id: "id" },
    answer: { one: "requestRecordingLink.result" },
    status: 201,
    bodyLimit: "4kb",
  },
  {
    method: "get",
    path: "/api/agent-performance/:email",
    summary: "An agent's figures over a range of business days (from and to inclusive), summed then divided; one row per extension.",
    who: "The agent themselves, supervisors for agents of their locations, managers and administrators for all.",
    input: z
      .object({ email: z.email({ message: "an agent's email" }), ...dayRange, ...page })
      .strict()
      .transform((q) => ({ agent: q.email, fromDay: q.from, toDay: q.to, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query AgentPerformance($agent: String!, $fromDay: Date!, $toDay: Date!, $first: Int!, $offset: Int!) {
      agentKpisForRange(agent: $agent, fromDay: $fromDay, toDay: $toDay, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${AGENT_RANGE_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to", agent: "email" },
    answer: { list: { connection: "agentKpisForRange" } },
  },
  {
    method: "get",
    path: "/api/team-metrics",
    summary: "Team figures over a range of business days (from and to inclusive), per location and for the whole practice.",
    who: "viewTeamPerformance: supervisors for their locations, managers and administrators for all; anyone else 403.",
    input: z
      .object({ ...dayRange, location: z.string().min(1).max(100).optional(), ...page })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, location: q.location, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query TeamMetrics($fromDay: Date!, $toDay: Date!, $location: String, $first: Int!, $offset: Int!) {
      teamKpisForRange(fromDay: $fromDay, toDay: $toDay, location: $location, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${TEAM_RANGE_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { list: { connection: "teamKpisForRange" } },
  },
  {
    method: "post",
    path: "/api/processing/calculate-kpis",
    summary: "Recounts every queue and agent figure of a range of business days now; answers how many rows it recounted.",
    who: "configureMetrics: managers and administrators. A long range is the worker's scheduled work (503 QUERY_TIMEOUT past API_STATEMENT_TIMEOUT_MS).",
    input: z
      .object({ from: day, to: day })
      .strict()
      .transform((b) => ({ fromDay: b.from, toDay: b.to })),
    document: `mutation CalculateKpis($fromDay: Date!, $toDay: Date!) { calculateKpis(input: { fromDay: $fromDay, toDay: $toDay }) { result } }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { value: ["calculateKpis", "result"], as: "rows" },
    bodyLimit: "2kb",
  },
  {
    method: "post",
    path: "/api/call-processing/analyze",
    summary:
      "Queues a re-run of the classification of calls (status and outcome from their legs, call type from the rules, first-call resolution): the calls that started in [from, to) (at most 93 days) or up to 10,000 call_ids. Answers 202 with the job; read its state at GET /api/processing/jobs/{id}.",
    who: "configureMetrics: managers and administrators; anyone else 403.",
    input: z
      .object({ from: isoTime.optional(), to: isoTime.optional(), call_ids: z.array(uuid).min(1).max(10_000).optional() })
      .strict()
      .transform((b) => ({ fromTime: b.from ?? null, toTime: b.to ?? null, callIds: b.call_ids ?? null })),
    document: `mutation AnalyzeCalls($fromTime: Datetime, $toTime: Datetime, $callIds: [UUID]) {
      analyzeCalls(input: { fromTime: $fromTime, toTime: $toTime, callIds: $callIds }) { result { ${PROCESSING_JOB_FIELDS} } }
    }`,
    fields: { from_time: "from", to_time: "to" },
    answer: { one: "analyzeCalls.result" },
    status: 202,
    bodyLimit: "600kb",
  },
  {
    method: "get",
    path: "/api/processing/jobs/:id",
    summary: "A processing job's state (queued, running, succeeded, failed), its attempts, last error and result.",
    who: "The person who asked for it, and configureMetrics holders; any other id is a 404.",
    input: z.object({ id: uuid }).strict().transform((p) => ({ rowId: p.id })),
    document: `query ProcessingJob($rowId: UUID!) { processingJobByRowId(rowId: $rowId) { ${PROCESSING_JOB_FIELDS} } }`,
    answer: { one: "processingJobByRowId" },
  },
  {
    method: "post",
    path: "/api/processing/sync-3cx",
    summary:
      "Queues a sync of the agent directory from 3CX now (users, queues with their agents, IVRs, ring groups; the worker also runs it every 15 minutes). Answers 202 with the job (a sync still waiting is answered instead of a second); read its state and counts at GET /api/processing/jobs/{id}.",
    who: "configureMetrics: managers and administrators; anyone else 403.",
    input: z.object({}).strict(),
    document: `mutation SyncPbxDirectory { syncPbxDirectory(input: {}) { result { ${PROCESSING_JOB_FIELDS} } } }`,
    answer: { one: "syncPbxDirectory.result" },
    status: 202,
  },
  {
    method: "get",
    path: "/api/3cx/agents-to-invite",
    summary:
      "Active agents of the directory (as the 3CX sync keeps it) who are not users of this service yet: extension, 3CX name and e-mail, location. Invite one with POST /api/3cx/agents-to-invite.",
    who: "configureMetrics: managers and administrators; anyone else 403.",
    input: z
      .object({ ...page })
      .strict()
      .transform((q) => ({ first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query AgentsToInvite($first: Int!, $offset: Int!) {
      pbxAgentsToInvite(first: $first, offset: $offset) { totalCount pageInfo { hasNextPage } nodes { ${PBX_AGENT_FIELDS} } }
    }`,
    answer: { list: { connection: "pbxAgentsToInvite" } },
  },
  {
    method: "post",
    path: "/api/3cx/agents-to-invite",
    summary:
      "Invites an agent of the directory who is not a user yet (`agent`: the extension, or the e-mail 3CX holds): creates the user with that e-mail (or `email`, when given or when 3CX holds none) as a call-center agent at the agent's location, and links the agent. Answers 201 with the agent.",
    who: "configureMetrics: managers and administrators; anyone else 403. No such agent 404; already a user or gone from 3CX 409.",
    input: z
      .object({ agent: z.string().trim().min(2).max(320), email: z.email({ message: "an e-mail address" }).max(320).optional() })
      .strict()
      .transform((b) => ({ agent: b.agent, email: b.email ?? null })),
    document: `mutation InviteAgent($agent: String!, $email: String) { inviteAgent(input: { agent: $agent, email: $email }) { result { ${PBX_AGENT_FIELDS} } } }`,
    answer: { one: "inviteAgent.result" },
    status: 201,
  },
  {
    method: "post",
    path: "/api/processing/generate-reports",
    summary:
      "Queues a report run now: a report (team_performance, agent_performance, call_analytics, productivity) for [from_day, for_day] (default yesterday, at most 93 days) with location (agent_performance: agent, an email or extension) and business_hours_only, or schedule_id: that schedule's report again for for_day (a past day sent or skipped). Sent by e-mail (format pdf, csv or html attached to the HTML body; recipients default to you) or SMS (a summary). Answers 202 with the run; read it at GET /api/reports/runs/{id}.",
    who: "generateReports: supervisors (a report of their own locations, to themselves), managers and administrators; anyone else 403.",
    input: z
      .object({
        report: z.enum(["team_performance", "agent_performance", "call_analytics", "productivity"]).optional(),
        for_day: day.optional(),
        from_day: day.optional(),
        location: z.string().min(1).max(100).optional(),
        agent: z.string().min(1).max(320).optional(),
        business_hours_only: z.boolean().optional(),
        format: z.enum(["pdf", "csv", "html"]).optional(),
        channel: z.enum(["email", "sms"]).optional(),
        recipients: z.array(z.string().min(3).max(320)).min(1).max(50).optional(),
        schedule_id: uuid.optional(),
      })
      .strict()
      .transform((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]))),
    document: `mutation GenerateReport($report: String, $forDay: Date, $fromDay: Date, $location: String, $agent: String, $businessHoursOnly: Boolean,
      $format: String, $channel: String, $recipients: [String], $scheduleId: UUID) {
      generateReport(input: { report: $report, forDay: $forDay, fromDay: $fromDay, location: $location, agent: $agent, businessHoursOnly: $businessHoursOnly,
        format: $format, channel: $channel, recipients: $recipients, scheduleId: $scheduleId }) { result { ${REPORT_RUN_FIELDS} } }
    }`,
    answer: { one: "generateReport.result" },
    status: 202,
    bodyLimit: "20kb",
  },
  {
    method: "get",
    path: "/api/reports/runs/:id",
    summary: "A report run: its parameters, status (queued, running, sent, partial, failed), timings, warnings (figures incomplete) and each delivery's status and last error.",
    who: "The person who asked for it, and managers and administrators (viewAllPerformance); any other id is a 404.",
    input: z.object({ id: uuid }).strict().transform((p) => ({ rowId: p.id })),
    document: `query ReportRun($rowId: UUID!) { reportRunByRowId(rowId: $rowId) { ${REPORT_RUN_FIELDS} } }`,
    answer: { one: "reportRunByRowId" },
  },
  {
    method: "post",
    path: "/api/qa/review",
    summary: "Starts a QA review (a draft) of a call, of its agent unless agent_email names another who took part, or of an agent directly. Scores 1–5; null for not applicable.",
    who: "conductQAReviews (supervisors for their locations' agents, managers and administrators for all); you are the reviewer, never of yourself.",
    input: z
      .object({
        call_record_id: uuid.optional(),
        agent_email: z.email({ message: "an agent's email" }).optional(),
        review_type: z.enum(["random", "targeted", "complaint_follow_up", "new_agent", "coaching"]),
        review_date: day.optional(),
        ...Object.fromEntries(QA_CATEGORIES.map((c) => [c, score])),
        strengths_observed: longText,
        improvement_areas: longText,
        specific_coaching_points: longText,
        recognition_worthy: z.boolean().optional(),
        action_items_required: textList,
        follow_up_review_needed: z.boolean().optional(),
        follow_up_date: day.optional(),
        additional_training_recommended: textList,
      })
      .strict()
      .transform((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]))),
    document: `mutation CreateQaReview($callRecordId: UUID, $agentEmail: String, $reviewType: String!, $reviewDate: Date,
      $greetingProfessionalism: Int, $activeListening: Int, $problemResolution: Int, $productKnowledge: Int, $communicationClarity: Int,
      $empathyPatience: Int, $callControl: Int, $closingEffectiveness: Int, $strengthsObserved: String, $improvementAreas: String,
      $specificCoachingPoints: String, $recognitionWorthy: Boolean, $actionItemsRequired: [String], $followUpReviewNeeded: Boolean,
      $followUpDate: Date, $additionalTrainingRecommended: [String]) {
      createQaReview(input: { callRecordId: $callRecordId, agentEmail: $agentEmail, reviewType: $reviewType, reviewDate: $reviewDate,
        greetingProfessionalism: $greetingProfessionalism, activeListening: $activeListening, problemResolution: $problemResolution,
        productKnowledge: $productKnowledge, communicationClarity: $communicationClarity, empathyPatience: $empathyPatience,
        callControl: $callControl, closingEffectiveness: $closingEffectiveness, strengthsObserved: $strengthsObserved,
        improvementAreas: $improvementAreas, specificCoachingPoints: $specificCoachingPoints, recognitionWorthy: $recognitionWorthy,
        actionItemsRequired: $actionItemsRequired, followUpReviewNeeded: $followUpReviewNeeded, followUpDate: $followUpDate,
        additionalTrainingRecommended: $additionalTrainingRecommended }) {
        result { ${QA_REVIEW_FIELDS} }
      }
    }`,
    answer: { one: "createQaReview.result" },
    status: 201,
    bodyLimit: "64kb",
  },
  {
    method: "get",
    path: "/api/qa/reviews/:agent_email",
    summary: "An agent's QA reviews, newest first, optionally of one status and review dates from and to (inclusive); never the recording's location.",
    who: "The agent themselves (once completed), supervisors for their locations' agents, managers and administrators for all; any other agent is a 404.",
    input: z
      .object({
        agent_email: z.email({ message: "an agent's email" }),
        status: z.enum(["draft", "completed", "discussed_with_agent"]).optional(),
        from: day.optional(),
        to: day.optional(),
        ...page,
      })
      .strict()
      .transform((q) => ({ agent: q.agent_email, status: q.status, fromDay: q.from, toDay: q.to, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query QaReviews($agent: String!, $status: String, $fromDay: Date, $toDay: Date, $first: Int!, $offset: Int!) {
      qaReviewsForAgent(agent: $agent, status: $status, fromDay: $fromDay, toDay: $toDay, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${QA_REVIEW_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { list: { connection: "qaReviewsForAgent" } },
  },
  {
    method: "put",
    path: "/api/qa/reviews/:id/discuss",
    summary: "Marks a completed review discussed with the agent (default today), optionally replacing its coaching points; the agent is asked to acknowledge it.",
    who: "conductQAReviews: the review's reviewer, or managers and administrators. A draft, or a review already discussed, is a 409.",
    input: z
      .object({ id: uuid, discussion_date: day.optional(), coaching_points: z.string().min(1).max(8000).optional() })
      .strict()
      .transform((b) => ({ reviewId: b.id, discussionDate: b.discussion_date, coachingPoints: b.coaching_points })),
    document: `mutation DiscussQaReview($reviewId: UUID!, $discussionDate: Date, $coachingPoints: String) {
      discussQaReview(input: { reviewId: $reviewId, discussionDate: $discussionDate, coachingPoints: $coachingPoints }) { result { ${QA_REVIEW_FIELDS} } }
    }`,
    fields: { review_id: "id", agent_discussion_date: "discussion_date", specific_coaching_points: "coaching_points" },
    answer: { one: "discussQaReview.result" },
    bodyLimit: "16kb",
  },
  {
    method: "get",
    path: "/api/qa/coaching-opportunities",
    summary: "Agents who need coaching (kpi-definitions: last 5 completed reviews averaging below 80 %, a category averaging below 3, or behind the month's QA quota), with why.",
    who: "conductQAReviews: supervisors for their locations' agents, managers and administrators for all.",
    input: z
      .object({ month: month.optional(), location: z.string().min(1).max(100).optional(), ...page })
      .strict()
      .transform((q) => ({ month: q.month ? `${q.month}-01` : undefined, location: q.location, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query CoachingOpportunities($month: Date, $location: String, $first: Int!, $offset: Int!) {
      coachingOpportunities(month: $month, location: $location, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${COACHING_FIELDS} }
      }
    }`,
    answer: { list: { connection: "coachingOpportunities" } },
  },
  {
    method: "post",
    path: "/api/workforce/shift-start",
    summary:
      "Starts your shift now (the server's time, never the client's): the scheduled shift whose window holds now, else one starting within the hour, else today's; with none on the schedule an unscheduled shift, at `location` or your location in the agent directory. Answers the shift.",
    who: "editCallJournals (people who take calls: agents, supervisors, managers, administrators), for themselves; staff 403. Already on shift, or today's shift already ended: 409.",
    input: z
      .object({ location: z.string().min(1).max(100).optional() })
      .strict()
      .transform((b) => ({ location: b.location ?? null })),
    document: `mutation ShiftStart($location: String) { shiftStart(input: { location: $location }) { result { ${SHIFT_FIELDS} } } }`,
    answer: { one: "shiftStart.result" },
    bodyLimit: "2kb",
  },
  {
    method: "post",
    path: "/api/workforce/shift-end",
    summary: "Ends your shift in progress now (ending an open break with it) and answers the shift with its totals: calls handled and missed, talk, after-call work, available time, utilization, lateness and status.",
    who: "editCallJournals, for themselves. Not on shift: 409.",
    input: noBody,
    document: `mutation ShiftEnd { shiftEnd(input: {}) { result { ${SHIFT_FIELDS} } } }`,
    answer: { one: "shiftEnd.result" },
    bodyLimit: "2kb",
  },
  {
    method: "post",
    path: "/api/workforce/break-start",
    summary: "Starts a break of your shift in progress now: `break_type` break (default), lunch, training or meeting. Answers the break.",
    who: "editCallJournals, for themselves. Not on shift, or already on a break: 409.",
    input: z
      .object({ break_type: z.enum(["break", "lunch", "training", "meeting"]).optional() })
      .strict()
      .transform((b) => ({ breakType: b.break_type ?? "break" })),
    document: `mutation BreakStart($breakType: String) { breakStart(input: { breakType: $breakType }) { result { ${BREAK_FIELDS} } } }`,
    answer: { one: "breakStart.result" },
    bodyLimit: "2kb",
  },
  {
    method: "post",
    path: "/api/workforce/break-end",
    summary: "Ends your break now; its whole minutes (rounded) are added to the shift's break, lunch, training or meeting minutes. Answers the break.",
    who: "editCallJournals, for themselves. Not on shift, or not on a break: 409.",
    input: noBody,
    document: `mutation BreakEnd { breakEnd(input: {}) { result { ${BREAK_FIELDS} } } }`,
    answer: { one: "breakEnd.result" },
    bodyLimit: "2kb",
  },
  {
    method: "post",
    path: "/api/workforce/shifts/:id/correction",
    summary:
      "Corrects a shift's logged start, end or minutes (those given; the rest stay) with a reason, kept with each value before and after (GraphQL allShiftCorrections) and in the audit log. Answers the shift with its totals recounted.",
    who: "manageGoals: supervisors for shifts of their locations, managers and administrators for all; agents 403; another location's shift 404. A time in the future or an end before the start: 400.",
    input: z
      .object({
        id: uuid,
        reason: z.string().min(1).max(1000),
        actual_start_time: isoTime.optional(),
        actual_end_time: isoTime.optional(),
        total_break_time_minutes: minutes,
        lunch_break_minutes: minutes,
        training_time_minutes: minutes,
        meeting_time_minutes: minutes,
      })
      .strict()
      .transform((b) => ({
        shiftId: b.id,
        reason: b.reason,
        actualStartTime: b.actual_start_time ?? null,
        actualEndTime: b.actual_end_time ?? null,
        totalBreakTimeMinutes: b.total_break_time_minutes ?? null,
        lunchBreakMinutes: b.lunch_break_minutes ?? null,
        trainingTimeMinutes: b.training_time_minutes ?? null,
        meetingTimeMinutes: b.meeting_time_minutes ?? null,
      })),
    document: `mutation CorrectShift($shiftId: UUID!, $reason: String!, $actualStartTime: Datetime, $actualEndTime: Datetime,
      $totalBreakTimeMinutes: Int, $lunchBreakMinutes: Int, $trainingTimeMinutes: Int, $meetingTimeMinutes: Int) {
      correctShift(input: { shiftId: $shiftId, reason: $reason, actualStartTime: $actualStartTime, actualEndTime: $actualEndTime,
        totalBreakTimeMinutes: $totalBreakTimeMinutes, lunchBreakMinutes: $lunchBreakMinutes, trainingTimeMinutes: $trainingTimeMinutes,
        meetingTimeMinutes: $meetingTimeMinutes }) { result { ${SHIFT_FIELDS} } }
    }`,
    fields: { shift_id: "id" },
    answer: { one: "correctShift.result" },
    bodyLimit: "4kb",
  },
  {
    method: "post",
    path: "/api/workforce/schedule",
    summary:
      "Uploads many agents' shifts at once (a week), as JSON `{\"shifts\": [...]}` or a CSV file (`Content-Type: text/csv`, columns agent, location, shift_date, scheduled_start_time, scheduled_end_time, shift_notes). All or nothing: any bad row refuses the upload with 400 CC821, listing every bad row's line, field and reason in `problems`. A shift not started yet takes the new times; a started one must not change. Answers how many shifts were created, updated and unchanged.",
    who: "manageGoals: supervisors for their locations, managers and administrators for all; agents 403.",
    input: z
      .object({ shifts: z.array(scheduleRow).min(1).max(2000) })
      .strict()
      .transform((b) => ({ shifts: b.shifts })),
    document: `mutation UploadSchedule($shifts: JSON!) { uploadSchedule(input: { shifts: $shifts }) { result { ${SCHEDULE_CHANGE_FIELDS} } } }`,
    answer: { one: "uploadSchedule.result" },
    bodyLimit: "1mb",
    csv: {
      field: "shifts",
      description:
        "A CSV file with a header row: agent (email or extension), location, shift_date (YYYY-MM-DD), scheduled_start_time and scheduled_end_time (HH:MM, local business time; an end before the start is the next day), shift_notes (optional). See docs/schedule-example.csv.",
    },
  },
  {
    method: "post",
    path: "/api/workforce/schedule-template/apply",
    summary:
      "Makes the shifts of the 7 days from `week_start` out of the weekly template (GraphQL shiftTemplates), for `location` or every location you manage. Idempotent; a started shift is never changed. Answers how many shifts were created, updated, unchanged and kept.",
    who: "manageGoals: supervisors for their locations, managers and administrators for all; agents 403.",
    input: z
      .object({ week_start: day, location: z.string().min(1).max(100).optional() })
      .strict()
      .transform((b) => ({ weekStart: b.week_start, location: b.location ?? null })),
    document: `mutation ApplyShiftTemplate($weekStart: Date!, $location: String) {
      applyShiftTemplate(input: { weekStart: $weekStart, location: $location }) { result { ${SCHEDULE_CHANGE_FIELDS} } }
    }`,
    answer: { one: "applyShiftTemplate.result" },
    bodyLimit: "2kb",
  },
  {
    method: "get",
    path: "/api/workforce/scheduling",
    summary:
      "Coverage per location and 15-minute interval of business days from `from` to `to` (at most 7): the agents the Erlang C forecast needs for the location's queues, the agents scheduled and clocked in for the whole interval, and the shortfall.",
    who: "viewTeamPerformance: supervisors for their locations, managers and administrators for all; agents and staff 403.",
    input: z
      .object({ ...dayRange, location: z.string().min(1).max(100).optional(), ...page })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, location: q.location, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query Scheduling($fromDay: Date!, $toDay: Date!, $location: String, $first: Int!, $offset: Int!) {
      staffingCoverage(fromDay: $fromDay, toDay: $toDay, location: $location, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${COVERAGE_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { list: { connection: "staffingCoverage" } },
  },
  {
    method: "get",
    path: "/api/workforce/utilization",
    summary:
      "Each agent's days at work from `from` to `to` (business days, inclusive): lateness, early departure, absence, adherence to the schedule and utilization, optionally of one `agent` (email or extension) or `location`.",
    who: "Every signed-in person: agents their own days, supervisors their locations', managers and administrators all. An agent you may not see, or who does not exist, is a 404.",
    input: z
      .object({ ...dayRange, agent: z.string().min(1).max(200).optional(), location: z.string().min(1).max(100).optional(), ...page })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, agent: q.agent, location: q.location, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query Utilization($fromDay: Date!, $toDay: Date!, $agent: String, $location: String, $first: Int!, $offset: Int!) {
      shiftKpisForRange(fromDay: $fromDay, toDay: $toDay, agent: $agent, location: $location, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${SHIFT_KPI_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { list: { connection: "shiftKpisForRange" } },
  },
  {
    method: "get",
    path: "/api/3cx/agent-status",
    summary:
      "Each active agent's current 3CX status, polled by the worker every THREECX_PRESENCE_POLL_SECONDS: profile (Available, Away, ...), logged in to the queues, registered, on a call, since when, the last poll, and whether it is stale; optionally of one `location` or `agent` (email or extension).",
    who: "Every signed-in person: agents their own entry, supervisors their locations' agents, managers and administrators all. An agent you may not see, or who does not exist, is a 404.",
    input: z
      .object({ location: z.string().min(1).max(100).optional(), agent: z.string().min(1).max(200).optional(), ...page })
      .strict()
      .transform((q) => ({ location: q.location, agent: q.agent, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query AgentStatus($location: String, $agent: String, $first: Int!, $offset: Int!) {
      agentStatuses(location: $location, agent: $agent, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage }
        nodes { extension email: agentEmail name: agentName location profile loggedIn registered onCall since polledAt stale }
      }
    }`,
    answer: { list: { connection: "agentStatuses" } },
  },
  {
    method: "post",
    path: "/api/call-journals",
    summary: "Creates a call journal (a draft unless journal_status is submitted); answers it, with the protected notes masked.",
    who: "editCallJournals: agents on their own calls, supervisors on their locations' calls, managers on all.",
    input: journalToCreate.transform((b) => ({ journal: camelKeys(b) })),
    document: `mutation CreateJournal($journal: CallJournalInput!) { createCallJournal(input: { callJournal: $journal }) { callJournal { ${JOURNAL_FIELDS} } } }`,
    answer: { one: "createCallJournal.callJournal" },
    status: 201,
  },
  {
    method: "put",
    path: "/api/call-journals/:id",
    summary:
      "Changes the fields sent (the others stay). journal_status \"submitted\" submits a draft; a journal moves only draft → submitted → reviewed → approved (409 otherwise), and once reviewed its author may no longer change it (409).",
    who: "Whoever may edit the journal: its agent until it is reviewed, supervisors of its location, managers; review fields need reviewJournals (403).",
    input: journalChanges
      .extend({ id: uuid })
      .refine((b) => Object.keys(b).length > 1, { message: "send at least one field to change", path: [] })
      .transform(({ id, ...changes }) => ({ rowId: id, patch: camelKeys(changes) })),
    document: `mutation UpdateJournal($rowId: UUID!, $patch: CallJournalPatch!) {
      updateCallJournalByRowId(input: { rowId: $rowId, callJournalPatch: $patch }) { callJournal { ${JOURNAL_FIELDS} } }
    }`,
    answer: { one: "updateCallJournalByRowId.callJournal" },
  },
  {
    method: "post",
    path: "/api/journals/bulk-create",
    summary:
      "Creates 1 to 100 journals at once, all or nothing; when any is refused none is saved, and the 400 lists each refused journal with its index (from 0), field and reason in `problems`.",
    who: "editCallJournals, each journal under the same rules as POST /api/call-journals.",
    input: z
      .object({ journals: z.array(journalToCreate) })
      .strict()
      .transform((b) => ({ journals: b.journals.map(camelKeys) })),
    document: `mutation BulkCreateJournals($journals: [CallJournalInput]!) {
      bulkCreateCallJournals(input: { journals: $journals }) { callJournals { ${JOURNAL_FIELDS} } }
    }`,
    answer: { value: ["bulkCreateCallJournals", "callJournals"], as: "journals" },
    status: 201,
    bodyLimit: "2mb",
  },
  {
    method: "get",
    path: "/api/journals/pending-review",
    summary: "Submitted journals waiting for your review, oldest first: of your locations (managers: all), never your own.",
    who: "reviewJournals: supervisors, managers and administrators (403 for others).",
    input: z
      .object({ location: z.string().min(1).max(100).optional(), ...page })
      .strict()
      .transform((q) => ({ location: q.location, first: q.page_size, offset: (q.page - 1) * q.page_size })),
    document: `query PendingReview($location: String, $first: Int!, $offset: Int!) {
      pendingReviewCallJournals(location: $location, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${JOURNAL_FIELDS} }
      }
    }`,
    answer: { list: { connection: "pendingReviewCallJournals" } },
  },
  {
    method: "put",
    path: "/api/journals/:id/review",
    summary:
      "Reviews a submitted journal (review_score 1–100, coaching_notes, optionally commendation_worthy, training_opportunities, improvement_areas), or with {\"action\": \"approve\"} approves a reviewed one. The agent is notified.",
    who: "reviewJournals, for journals of your locations (managers: all), never your own (403); a journal not in the right state is a 409.",
    input: z
      .object({
        id: uuid,
        action: z.enum(["review", "approve"]).default("review"),
        review_score: z.number().int().optional(),
        coaching_notes: z.string().optional(),
        commendation_worthy: z.boolean().optional(),
        training_opportunities: items.optional(),
        improvement_areas: items.optional(),
      })
      .strict()
      .superRefine((b, ctx) => {
        if (b.action !== "approve") return;
        for (const key of ["review_score", "coaching_notes", "commendation_worthy", "training_opportunities", "improvement_areas"] as const) {
          if (b[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "approving takes no review fields; review first, then approve" });
        }
      })
      .transform(({ id, action, ...review }) => ({ journalId: id, approve: action === "approve", ...camelKeys(review) })),
    document: `mutation ReviewJournal($journalId: UUID!, $approve: Boolean!, $reviewScore: Int, $coachingNotes: String, $commendationWorthy: Boolean,
      $trainingOpportunities: [String], $improvementAreas: [String]) {
      reviewCallJournal(input: { journalId: $journalId, reviewScore: $reviewScore, coachingNotes: $coachingNotes, commendationWorthy: $commendationWorthy,
        trainingOpportunities: $trainingOpportunities, improvementAreas: $improvementAreas }) @skip(if: $approve) { callJournal { ${JOURNAL_FIELDS} } }
      approveCallJournal(input: { journalId: $journalId }) @include(if: $approve) { callJournal { ${JOURNAL_FIELDS} } }
    }`,
    fields: { journal_id: "id" },
    answer: { one: ["reviewCallJournal.callJournal", "approveCallJournal.callJournal"] },
  },
  {
    method: "get",
    path: "/api/journals/search",
    summary:
      "Journals matching every criterion given: words (q), tags (comma list, all of them), agent, location, status, a follow-up due by a day, created in [from, to) (at most 366 days; by default the 366 days before to, or before now); sorted and paged. No criterion at all finds nothing.",
    who: "Every signed-in person, over the journals they may see: their own, their locations' (supervisors), all (managers).",
    input: z
      .object({
        q: z.string().optional(),
        tags: z
          .string()
          .transform((t) => t.split(",").map((x) => x.trim()).filter((x) => x !== ""))
          .optional(),
        agent: z.string().min(1).max(100).optional(),
        location: z.string().min(1).max(100).optional(),
        status: z.enum(["draft", "submitted", "reviewed", "approved"]).optional(),
        from: isoTime.optional(),
        to: isoTime.optional(),
        follow_up_due_by: day.optional(),
        sort: z
          .enum(["created_at", "-created_at", "submitted_at", "-submitted_at", "follow_up_date", "-follow_up_date", "review_score", "-review_score"])
          .default("-created_at"),
        ...page,
      })
      .strict()
      .transform((q) => ({
        query: q.q,
        tags: q.tags,
        agent: q.agent,
        location: q.location,
        status: q.status,
        fromTime: q.from,
        toTime: q.to,
        followUpDueBy: q.follow_up_due_by,
        sort: q.sort,
        first: q.page_size,
        offset: (q.page - 1) * q.page_size,
      })),
    document: `query SearchJournals($query: String, $tags: [String], $agent: String, $location: String, $status: String, $fromTime: Datetime,
      $toTime: Datetime, $followUpDueBy: Date, $sort: String, $first: Int!, $offset: Int!) {
      searchCallJournals(query: $query, tags: $tags, agent: $agent, location: $location, status: $status, fromTime: $fromTime,
        toTime: $toTime, followUpDueBy: $followUpDueBy, sort: $sort, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${JOURNAL_FIELDS} }
      }
    }`,
    fields: { query: "q", from_time: "from", to_time: "to" },
    answer: { list: { connection: "searchCallJournals" } },
  },
  {
    method: "post",
    path: "/api/goals/set",
    summary: "Sets a goal for one agent: its period (the last day follows from goal_period when not given) and at least one target.",
    who: "manageGoals: supervisors for the agents of their locations, managers and administrators for all; anyone else 403.",
    input: z
      .object({
        agent: z.string().min(1).max(100),
        goal_period: goalPeriod,
        period_start_date: day,
        period_end_date: day.optional(),
        ...goalTargets,
        development_areas: texts.optional(),
        coaching_focus: shortText(2000).optional(),
        improvement_plan: shortText(8000).optional(),
        reason: shortText(1000).optional(),
      })
      .strict()
      .transform((b) => ({
        agent: b.agent, goalPeriod: b.goal_period, periodStartDate: b.period_start_date, periodEndDate: b.period_end_date, ...goalTargetVariables(b),
        developmentAreas: b.development_areas, coachingFocus: b.coaching_focus, improvementPlan: b.improvement_plan, reason: b.reason,
      })),
    document: `mutation SetGoal($agent: String!, $goalPeriod: String!, $periodStartDate: Date!, $periodEndDate: Date, ${GOAL_TARGET_ARGS},
      $developmentAreas: [String], $coachingFocus: String, $improvementPlan: String, $reason: String) {
      setGoal(input: { agent: $agent, goalPeriod: $goalPeriod, periodStartDate: $periodStartDate, periodEndDate: $periodEndDate, ${GOAL_TARGET_INPUT},
        developmentAreas: $developmentAreas, coachingFocus: $coachingFocus, improvementPlan: $improvementPlan, reason: $reason }) {
        result { ${GOAL_FIELDS} }
      }
    }`,
    fields: GOAL_TARGET_FIELDS,
    answer: { one: "setGoal.result" },
    status: 201,
    bodyLimit: "20kb",
  },
  {
    method: "put",
    path: "/api/goals/:id/update",
    summary: "Changes a goal: targets, status (active, paused, completed, revised), last day, coaching notes; what is left out keeps its value. The change is kept in its history with the reason.",
    who: "manageGoals, for a goal of an agent you manage (supervisors: their locations); a goal you may not see is a 404.",
    input: z
      .object({
        id: uuid,
        ...goalTargets,
        goal_status: z.enum(["active", "paused", "completed", "revised"]).optional(),
        period_end_date: day.optional(),
        development_areas: texts.optional(),
        coaching_focus: shortText(2000).optional(),
        improvement_plan: shortText(8000).optional(),
        recognition_earned: texts.optional(),
        reason: shortText(1000).optional(),
      })
      .strict()
      .transform((b) => ({
        goalId: b.id, ...goalTargetVariables(b), goalStatus: b.goal_status, periodEndDate: b.period_end_date, developmentAreas: b.development_areas,
        coachingFocus: b.coaching_focus, improvementPlan: b.improvement_plan, recognitionEarned: b.recognition_earned, reason: b.reason,
      })),
    document: `mutation UpdateGoal($goalId: UUID!, ${GOAL_TARGET_ARGS}, $goalStatus: String, $periodEndDate: Date, $developmentAreas: [String],
      $coachingFocus: String, $improvementPlan: String, $recognitionEarned: [String], $reason: String) {
      updateGoal(input: { goalId: $goalId, ${GOAL_TARGET_INPUT}, goalStatus: $goalStatus, periodEndDate: $periodEndDate,
        developmentAreas: $developmentAreas, coachingFocus: $coachingFocus, improvementPlan: $improvementPlan, recognitionEarned: $recognitionEarned,
        reason: $reason }) {
        result { ${GOAL_FIELDS} }
      }
    }`,
    fields: { ...GOAL_TARGET_FIELDS, goal_id: "id" },
    answer: { one: "updateGoal.result" },
    bodyLimit: "20kb",
  },
  {
    method: "get",
    path: "/api/goals/achievement",
    summary: "Goal achievement over a range of business days: each goal overlapping it, its targets and the actuals of the days of the range inside its period (up to today), goals met and achievement.",
    who: "Every signed-in person, for the goals they may see: their own, their locations' people's (viewTeamPerformance), the ones they set, everyone's (managers). A location filter needs viewTeamPerformance (403 otherwise).",
    input: z
      .object({
        ...dayRange,
        agent: z.string().min(1).max(100).optional(),
        location: z.string().min(1).max(100).optional(),
        team_goal_id: uuid.optional(),
        ...page,
      })
      .strict()
      .transform((q) => ({
        fromDay: q.from, toDay: q.to, agent: q.agent, location: q.location, teamGoalId: q.team_goal_id, first: q.page_size, offset: (q.page - 1) * q.page_size,
      })),
    document: `query GoalAchievement($fromDay: Date!, $toDay: Date!, $agent: String, $location: String, $teamGoalId: UUID, $first: Int!, $offset: Int!) {
      goalAchievement(fromDay: $fromDay, toDay: $toDay, agent: $agent, location: $location, teamGoalId: $teamGoalId, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${ACHIEVEMENT_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { list: { connection: "goalAchievement" } },
  },
  {
    method: "post",
    path: "/api/goals/team-goals",
    summary: "Sets the same goal for every active agent of a location, one goal each, linked by one team_goal_id; all or nothing.",
    who: "manageGoals, for your own locations (managers and administrators: any); anyone else 403.",
    input: z
      .object({
        location: z.string().min(1).max(100),
        goal_period: goalPeriod,
        period_start_date: day,
        period_end_date: day.optional(),
        ...goalTargets,
        development_areas: texts.optional(),
        coaching_focus: shortText(2000).optional(),
        improvement_plan: shortText(8000).optional(),
        reason: shortText(1000).optional(),
      })
      .strict()
      .transform((b) => ({
        location: b.location, goalPeriod: b.goal_period, periodStartDate: b.period_start_date, periodEndDate: b.period_end_date, ...goalTargetVariables(b),
        developmentAreas: b.development_areas, coachingFocus: b.coaching_focus, improvementPlan: b.improvement_plan, reason: b.reason,
      })),
    document: `mutation SetTeamGoals($location: String!, $goalPeriod: String!, $periodStartDate: Date!, $periodEndDate: Date, ${GOAL_TARGET_ARGS},
      $developmentAreas: [String], $coachingFocus: String, $improvementPlan: String, $reason: String) {
      setTeamGoals(input: { location: $location, goalPeriod: $goalPeriod, periodStartDate: $periodStartDate, periodEndDate: $periodEndDate,
        ${GOAL_TARGET_INPUT}, developmentAreas: $developmentAreas, coachingFocus: $coachingFocus, improvementPlan: $improvementPlan, reason: $reason }) {
        result { ${GOAL_FIELDS} }
      }
    }`,
    fields: GOAL_TARGET_FIELDS,
    answer: { items: "setTeamGoals.result" },
    status: 201,
    bodyLimit: "20kb",
  },
  {
    method: "post",
    path: "/api/campaigns/create",
    summary: "Creates an outbound campaign for a location, with its agents (notified) and its dialled list (kept only as keyed hashes); it starts planned unless campaign_status says active.",
    who: "manageCampaigns: managers and administrators; anyone else 403.",
    input: z
      .object({
        campaign_name: z.string().max(200),
        campaign_type: z.enum(["outbound_appointments", "follow_up", "satisfaction_survey", "retention"]),
        location: z.string().min(1).max(100),
        start_date: day,
        end_date: day,
        target_audience: z.string().max(2000),
        target_call_count: z.number().int().optional(),
        target_conversion_rate: decimal.optional(),
        priority_level: z.enum(["urgent", "high", "normal", "low"]).optional(),
        campaign_code: z.string().max(40).optional(),
        agents: z.array(z.string().min(1).max(100)).max(200).optional(),
        dialled_numbers: z.array(z.string().max(40)).max(10_000).optional(),
        call_script: shortText(20_000).optional(),
        talking_points: texts.optional(),
        required_documentation: texts.optional(),
        training_materials: texts.optional(),
        campaign_notes: shortText(8000).optional(),
        managed_by: z.email().optional(),
        campaign_status: z.enum(["planned", "active"]).optional(),
      })
      .strict()
      .transform((b) => ({
        campaignName: b.campaign_name, campaignType: b.campaign_type, location: b.location, startDate: b.start_date, endDate: b.end_date,
        targetAudience: b.target_audience, targetCallCount: b.target_call_count, targetConversionPct: b.target_conversion_rate,
        priorityLevel: b.priority_level, campaignCode: b.campaign_code, agents: b.agents, dialledNumbers: b.dialled_numbers, callScript: b.call_script,
        talkingPoints: b.talking_points, requiredDocumentation: b.required_documentation, trainingMaterials: b.training_materials,
        campaignNotes: b.campaign_notes, managedBy: b.managed_by, campaignStatus: b.campaign_status,
      })),
    document: `mutation CreateCampaign($campaignName: String!, $campaignType: String!, $location: String!, $startDate: Date!, $endDate: Date!,
      $targetAudience: String!, $targetCallCount: Int, $targetConversionPct: BigFloat, $priorityLevel: String, $campaignCode: String, $agents: [String],
      $dialledNumbers: [String], $callScript: String, $talkingPoints: [String], $requiredDocumentation: [String], $trainingMaterials: [String],
      $campaignNotes: String, $managedBy: String, $campaignStatus: String) {
      createCampaign(input: { campaignName: $campaignName, campaignType: $campaignType, location: $location, startDate: $startDate, endDate: $endDate,
        targetAudience: $targetAudience, targetCallCount: $targetCallCount, targetConversionPct: $targetConversionPct, priorityLevel: $priorityLevel,
        campaignCode: $campaignCode, agents: $agents, dialledNumbers: $dialledNumbers, callScript: $callScript, talkingPoints: $talkingPoints,
        requiredDocumentation: $requiredDocumentation, trainingMaterials: $trainingMaterials, campaignNotes: $campaignNotes, managedBy: $managedBy,
        campaignStatus: $campaignStatus }) {
        result { ${CAMPAIGN_FIELDS} }
      }
    }`,
    fields: { target_conversion_pct: "target_conversion_rate", numbers: "dialled_numbers", assigned_agents: "agents" },
    answer: { one: "createCampaign.result" },
    status: 201,
    bodyLimit: "1mb",
  },
  {
    method: "put",
    path: "/api/campaigns/:id/assign",
    summary: "Assigns agents to a campaign and takes others off (email or extension); each is notified. Those assigned must be active agents of its location.",
    who: "manageCampaigns: managers and administrators; anyone else 403.",
    input: z
      .object({
        id: uuid,
        assign: z.array(z.string().min(1).max(100)).max(200).optional(),
        unassign: z.array(z.string().min(1).max(100)).max(200).optional(),
      })
      .strict()
      .transform((b) => ({ campaignId: b.id, assign: b.assign, unassign: b.unassign })),
    document: `mutation AssignCampaignAgents($campaignId: UUID!, $assign: [String], $unassign: [String]) {
      assignCampaignAgents(input: { campaignId: $campaignId, assign: $assign, unassign: $unassign }) { result { ${CAMPAIGN_FIELDS} } }
    }`,
    fields: { campaign_id: "id" },
    answer: { one: "assignCampaignAgents.result" },
    bodyLimit: "20kb",
  },
  {
    method: "put",
    path: "/api/campaigns/:id/status",
    summary: "Moves a campaign to another status (planned → active or cancelled; active → paused, completed or cancelled; paused → active, completed or cancelled), kept with the reason in its status history.",
    who: "manageCampaigns: managers and administrators; anyone else 403.",
    input: z
      .object({ id: uuid, campaign_status: z.enum(["planned", "active", "paused", "completed", "cancelled"]), reason: shortText(1000).optional() })
      .strict()
      .transform((b) => ({ campaignId: b.id, campaignStatus: b.campaign_status, reason: b.reason })),
    document: `mutation SetCampaignStatus($campaignId: UUID!, $campaignStatus: String!, $reason: String) {
      setCampaignStatus(input: { campaignId: $campaignId, campaignStatus: $campaignStatus, reason: $reason }) { result { ${CAMPAIGN_FIELDS} } }
    }`,
    fields: { campaign_id: "id" },
    answer: { one: "setCampaignStatus.result" },
    bodyLimit: "4kb",
  },
  {
    method: "get",
    path: "/api/campaigns/performance",
    summary: "Campaign performance per campaign, agent and business day over a range: attempts, completed, successful, conversion against the campaign's target; from the logged attempts and the attributed 3CX calls.",
    who: "Every signed-in person, for the rows they may see: agents their own, supervisors their locations' people, managers all. A location filter needs viewTeamPerformance (403 otherwise).",
    input: z
      .object({
        ...dayRange,
        campaign_id: uuid.optional(),
        agent: z.string().min(1).max(100).optional(),
        location: z.string().min(1).max(100).optional(),
        ...page,
      })
      .strict()
      .transform((q) => ({
        fromDay: q.from, toDay: q.to, campaignId: q.campaign_id, agent: q.agent, location: q.location, first: q.page_size, offset: (q.page - 1) * q.page_size,
      })),
    document: `query CampaignPerformance($fromDay: Date!, $toDay: Date!, $campaignId: UUID, $agent: String, $location: String, $first: Int!, $offset: Int!) {
      campaignPerformance(fromDay: $fromDay, toDay: $toDay, campaignId: $campaignId, agent: $agent, location: $location, first: $first, offset: $offset) {
        totalCount pageInfo { hasNextPage } nodes { ${CAMPAIGN_DAY_FIELDS} }
      }
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { list: { connection: "campaignPerformance" } },
  },
  {
    method: "post",
    path: "/api/campaigns/:id/calls",
    summary: "Logs a campaign call and its outcome (by default yours, now); linked to the 3CX call when one matches. The number dialled is kept only as a keyed hash and a mask.",
    who: "editCallJournals: agents for themselves (assigned to the campaign), supervisors for their locations' agents, managers for anyone; staff 403.",
    input: z
      .object({
        id: uuid,
        outcome: z.enum(["no_answer", "busy", "voicemail", "wrong_number", "declined", "callback_requested", "appointment_scheduled",
          "follow_up_completed", "survey_completed", "retained"]),
        agent: z.string().min(1).max(100).optional(),
        called_number: z.string().max(40).optional(),
        attempted_at: isoTime.optional(),
        call_id: z.string().min(1).max(200).optional(),
      })
      .strict()
      .transform((b) => ({ campaignId: b.id, outcome: b.outcome, agent: b.agent, calledNumber: b.called_number, attemptedAt: b.attempted_at, callId: b.call_id })),
    document: `mutation LogCampaignCall($campaignId: UUID!, $outcome: String!, $agent: String, $calledNumber: String, $attemptedAt: Datetime, $callId: String) {
      logCampaignCall(input: { campaignId: $campaignId, outcome: $outcome, agent: $agent, calledNumber: $calledNumber, attemptedAt: $attemptedAt, callId: $callId }) {
        result { ${ATTEMPT_FIELDS} }
      }
    }`,
    fields: { campaign_id: "id" },
    answer: { one: "logCampaignCall.result" },
    status: 201,
    bodyLimit: "4kb",
  },
  {
    method: "get",
    path: "/api/reports/team-performance",
    summary:
      "The team performance report (server/reports/report-document.ts): the range's service level against its goal, abandonment, volumes, ASA and who is behind first; a row per location and day and per agent; charts of the service level by 15-minute interval and by day and of the answered calls' waits.",
    who: "viewTeamPerformance: supervisors for their locations (another location is a 404), managers and administrators for all; anyone else 403.",
    input: z
      .object({ ...dayRange, location: z.string().min(1).max(100).optional(), business_hours_only: businessHoursOnly })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, location: q.location, businessHoursOnly: q.business_hours_only })),
    document: `query ReportTeamPerformance($fromDay: Date!, $toDay: Date!, $location: String, $businessHoursOnly: Boolean) {
      reportTeamPerformance(fromDay: $fromDay, toDay: $toDay, location: $location, businessHoursOnly: $businessHoursOnly)
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { document: "reportTeamPerformance" },
  },
  {
    method: "get",
    path: "/api/reports/agent-performance",
    summary:
      "The agent performance report (server/reports/report-document.ts): one agent's calls, AHT, calls per hour, utilization, occupancy, FCR, appointments, satisfaction, QA, adherence and goals; a row per day, shift and goal; charts by day.",
    who: "viewOwnPerformance: agents for themselves, supervisors for their locations' agents, managers and administrators for anyone; another agent is a 404.",
    input: z
      .object({ ...dayRange, agent: z.string().min(1).max(320), business_hours_only: businessHoursOnly })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, agent: q.agent, businessHoursOnly: q.business_hours_only })),
    document: `query ReportAgentPerformance($fromDay: Date!, $toDay: Date!, $agent: String!, $businessHoursOnly: Boolean) {
      reportAgentPerformance(fromDay: $fromDay, toDay: $toDay, agent: $agent, businessHoursOnly: $businessHoursOnly)
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { document: "reportAgentPerformance" },
  },
  {
    method: "get",
    path: "/api/reports/productivity",
    summary:
      "The productivity report (server/reports/report-document.ts): utilization, occupancy, calls per hour, available time, adherence, attendance and punctuality; a row per agent and per location and day; charts of utilization by day and calls per hour by agent.",
    who: "viewTeamPerformance: supervisors for their locations (another location is a 404), managers and administrators for all; anyone else 403.",
    input: z
      .object({ ...dayRange, location: z.string().min(1).max(100).optional(), business_hours_only: businessHoursOnly })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, location: q.location, businessHoursOnly: q.business_hours_only })),
    document: `query ReportProductivity($fromDay: Date!, $toDay: Date!, $location: String, $businessHoursOnly: Boolean) {
      reportProductivity(fromDay: $fromDay, toDay: $toDay, location: $location, businessHoursOnly: $businessHoursOnly)
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { document: "reportProductivity" },
  },
  {
    method: "get",
    path: "/api/reports/call-analytics",
    summary:
      "The call analytics report (server/reports/report-document.ts): volumes by hour and weekday, queues' service level and abandonment, call types and outcomes, callers by area code (fewer than 11 callers suppressed), each day against the same weekday of the four weeks before (unusual figures flagged) and the previous period.",
    who: "viewTeamPerformance: supervisors for their locations (another location is a 404), managers and administrators for all; anyone else 403.",
    input: z
      .object({
        ...dayRange,
        location: z.string().min(1).max(100).optional(),
        queue: z.string().min(1).max(100).optional(),
        business_hours_only: businessHoursOnly,
      })
      .strict()
      .transform((q) => ({ fromDay: q.from, toDay: q.to, location: q.location, queue: q.queue, businessHoursOnly: q.business_hours_only })),
    document: `query ReportCallAnalytics($fromDay: Date!, $toDay: Date!, $location: String, $queue: String, $businessHoursOnly: Boolean) {
      reportCallAnalytics(fromDay: $fromDay, toDay: $toDay, location: $location, queue: $queue, businessHoursOnly: $businessHoursOnly)
    }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { document: "reportCallAnalytics" },
  },
  {
    method: "post",
    path: "/api/reports/custom",
    summary:
      "A custom report (server/reports/report-document.ts): KPIs, groupings and filters named from the whitelist in SQL (reportCustomFields in GraphQL) over a range of business days. Body: from, to, kpis, group_by, filters, business_hours_only, title.",
    who: "generateReports: supervisors (their locations), managers and administrators; anyone else 403. A name outside the whitelist is a 400 naming its field.",
    // The body is passed whole: every name in it is checked against the whitelist in SQL, which names what it refuses.
    input: z
      .object({ from: z.unknown(), to: z.unknown(), kpis: z.unknown(), group_by: z.unknown().optional(), filters: z.unknown().optional(),
        business_hours_only: z.unknown().optional(), title: z.unknown().optional() })
      .catchall(z.unknown())
      .transform((body) => ({ spec: body })),
    document: `query ReportCustom($spec: JSON!) { reportCustom(spec: $spec) }`,
    fields: { from_day: "from", to_day: "to" },
    answer: { document: "reportCustom" },
    bodyLimit: "8kb",
  },
];
