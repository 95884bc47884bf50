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
   * A list answer (paging envelope), one object at this field of the answer (a dotted path reaches into a
   * mutation's payload, e.g. `setGoal.performanceGoal`; a missing object is a 404), the list at such a path
   * (what a mutation made, answered as `{"data": [...]}`), or one value of a mutation's payload answered as
   * `{[as]: value}`.
   */
  answer: { list: ListEnvelope } | { one: string } | { items: string } | { value: [field: string, key: string]; as: string };
  /** The status of a successful answer: 201 for what a POST created; default 200. */
  status?: 200 | 201;
  /** The largest JSON body accepted (POST, PUT, PATCH); default 100 kB. */
  bodyLimit?: string;
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
];
