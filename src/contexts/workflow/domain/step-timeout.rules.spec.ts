import type { DirectoryUser } from '../../../platform/identity/application/org-directory';
import { escalationTargetsFor, type ApproverResolution, type DelegationWindow } from './approver.rules';
import { dueSteps, planStepTimeouts, tasksToEscalate, type OpenTaskFacts, type StepTimeoutFacts, type TimedOutStep, type TimeoutInstance } from './step-timeout.rules';
import type { TimeoutAction } from './process-definition.rules';

const now = new Date('2030-01-10T12:00:00.000Z');
const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};
const instance = (id: string, over: Partial<TimeoutInstance> = {}): TimeoutInstance => ({
  id, subjectType: 'test.claim', subjectId: `s-${id}`, subjectCode: `C-${id}`, title: `Claim ${id}`, status: 'running', requesterId: 'rep', submittedBy: null, ...over,
});
const step = (id: string, instanceId: string, action: TimeoutAction, over: Partial<TimedOutStep> = {}): TimedOutStep => ({
  id, instanceId, stepIndex: 0, name: 'Manager', status: 'active', timeout: { after: 'PT1H', action }, ...over,
});
const task = (id: string, stepId: string, assigneeId: string): OpenTaskFacts => ({ id, stepId, assigneeId, title: `task ${id}` });
const toManager = (userId: string): ApproverResolution => ({ approvers: [{ userId, via: 'escalation:manager' }], unresolvedReason: null, fallback: false });
const facts = (over: Partial<StepTimeoutFacts>): StepTimeoutFacts => ({ instances: [], steps: [], openTasks: [], escalationTargets: new Map(), delegations: [], now, ...over });

describe('step timeout plan', () => {
  it('remind: a reminder for each open task, in order, and the timeout in the history; nothing else', () => {
    const plan = planStepTimeouts(
      facts({ instances: [instance('i1')], steps: [step('s1', 'i1', 'remind', { stepIndex: 2 })], openTasks: [task('t1', 's1', 'boss'), task('t2', 's1', 'vp')] }),
      ids(),
    );
    expect(plan.notices).toEqual([
      { kind: 'reminder-due', instanceId: 'i1', task: task('t1', 's1', 'boss') },
      { kind: 'reminder-due', instanceId: 'i1', task: task('t2', 's1', 'vp') },
    ]);
    expect(plan.history).toEqual([
      { id: 'id1', instanceId: 'i1', stepId: 's1', taskId: null, action: 'timeout', detail: { stepIndex: 2, action: 'remind', after: 'PT1H', openTaskIds: ['t1', 't2'] } },
    ]);
    expect([plan.decide, plan.escalateTaskIds, plan.newTasks]).toEqual([[], [], []]);
  });

  it('remind keeps no state: a step whose reminder was already sent reminds again when it times out again (the timer fires once, nothing is rescheduled)', () => {
    const input = facts({ instances: [instance('i1')], steps: [step('s1', 'i1', 'remind')], openTasks: [task('t1', 's1', 'boss')] });
    const first = planStepTimeouts(input, ids());
    expect(planStepTimeouts(input, ids())).toEqual(first);
    expect(Object.keys(first).sort()).toEqual(['decide', 'escalateTaskIds', 'history', 'newTasks', 'notices']);
  });

  it('a remind step without open tasks: only the timeout row', () => {
    const plan = planStepTimeouts(facts({ instances: [instance('i1')], steps: [step('s1', 'i1', 'remind')] }), ids());
    expect(plan.history.map((h) => [h.action, h.detail.openTaskIds])).toEqual([['timeout', []]]);
    expect(plan.notices).toEqual([]);
  });

  it('escalate: the task closes as escalated, its target gets a task, history timeout → task-assigned → escalated, events assigned → escalated', () => {
    const plan = planStepTimeouts(
      facts({
        instances: [instance('i1')],
        steps: [step('s1', 'i1', 'escalate', { stepIndex: 1, name: 'Approve' })],
        openTasks: [task('t1', 's1', 'boss')],
        escalationTargets: new Map([['t1', toManager('vp')]]),
      }),
      ids(),
    );
    const created = { id: 'id2', instanceId: 'i1', stepId: 's1', assigneeId: 'vp', originalAssigneeId: null, delegatedFromTaskId: 't1', via: 'escalation:manager', title: 'Approve: C-i1 Claim i1' };
    expect(plan.escalateTaskIds).toEqual(['t1']);
    expect(plan.newTasks).toEqual([created]);
    expect(plan.history).toEqual([
      { id: 'id1', instanceId: 'i1', stepId: 's1', taskId: null, action: 'timeout', detail: { stepIndex: 1, action: 'escalate', after: 'PT1H', openTaskIds: ['t1'] } },
      { id: 'id3', instanceId: 'i1', stepId: 's1', taskId: 'id2', action: 'task-assigned', detail: { assigneeId: 'vp', originalAssigneeId: null, via: 'escalation:manager' } },
      { id: 'id4', instanceId: 'i1', stepId: 's1', taskId: 't1', action: 'escalated', detail: { fromTaskId: 't1', fromUserId: 'boss', toUserIds: ['vp'], unresolvedReason: null } },
    ]);
    expect(plan.notices).toEqual([
      { kind: 'task-assigned', instanceId: 'i1', task: created },
      { kind: 'escalated', instanceId: 'i1', stepIndex: 1, fromTask: task('t1', 's1', 'boss'), toUserIds: ['vp'] },
    ]);
    expect(plan.decide).toEqual([]);
  });

  it('escalate: at most one open task per person on the step (a later open task’s assignee, or a target already given a task, gets none)', () => {
    const plan = planStepTimeouts(
      facts({
        instances: [instance('i1')],
        steps: [step('s1', 'i1', 'escalate', { name: 'All' })],
        openTasks: [task('t1', 's1', 'a'), task('t2', 's1', 'b'), task('t3', 's1', 'c')],
        // t1 → b (still open on t2: skipped), t2 → x, t3 → x (already created on t2: skipped) and y.
        escalationTargets: new Map([
          ['t1', toManager('b')],
          ['t2', toManager('x')],
          ['t3', { approvers: [{ userId: 'x', via: 'fallback:admin' }, { userId: 'y', via: 'fallback:admin' }], unresolvedReason: 'c has no manager', fallback: true }],
        ]),
      }),
      ids(),
    );
    expect(plan.escalateTaskIds).toEqual(['t1', 't2', 't3']);
    expect(plan.newTasks.map((t) => [t.delegatedFromTaskId, t.assigneeId, t.via])).toEqual([
      ['t2', 'x', 'escalation:manager'],
      ['t3', 'y', 'fallback:admin'],
    ]);
    const escalated = plan.history.filter((h) => h.action === 'escalated').map((h) => [h.taskId, h.detail.toUserIds, h.detail.unresolvedReason]);
    expect(escalated).toEqual([
      ['t1', [], null],
      ['t2', ['x'], null],
      ['t3', ['y'], 'c has no manager'],
    ]);
  });

  it('escalation to a manager who does not exist goes to the admins; with no admin either, the task still closes as escalated to nobody', async () => {
    const user = (id: string, managerId: string | null, roles: string[] = []): DirectoryUser => ({ id, email: `${id}@x`, name: id, kind: 'employee', orgUnitId: null, managerId, roles, active: true, accountId: null });
    const lost = user('boss', 'gone');
    const withAdmin = [lost, user('admin1', null, ['admin'])];
    const dir = (users: DirectoryUser[]) => ({ users: async (list: string[]) => users.filter((u) => list.includes(u.id)), usersWithRole: async (r: string) => users.filter((u) => u.roles.includes(r)) });
    const input = async (users: DirectoryUser[]) => {
      const targets = await escalationTargetsFor(['boss'], dir(users));
      return facts({ instances: [instance('i1')], steps: [step('s1', 'i1', 'escalate')], openTasks: [task('t1', 's1', 'boss')], escalationTargets: new Map([['t1', targets.get('boss')!]]) });
    };

    const toAdmins = planStepTimeouts(await input(withAdmin), ids());
    expect(toAdmins.newTasks.map((t) => [t.assigneeId, t.via])).toEqual([['admin1', 'fallback:admin']]);
    expect(toAdmins.history.at(-1)!.detail).toEqual({ fromTaskId: 't1', fromUserId: 'boss', toUserIds: ['admin1'], unresolvedReason: 'manager gone is unknown' });

    const toNobody = planStepTimeouts(await input([lost]), ids());
    expect(toNobody.escalateTaskIds).toEqual(['t1']);
    expect(toNobody.newTasks).toEqual([]);
    expect(toNobody.history.map((h) => h.action)).toEqual(['timeout', 'escalated']);
    expect(toNobody.history[1].detail).toEqual({ fromTaskId: 't1', fromUserId: 'boss', toUserIds: [], unresolvedReason: 'manager gone is unknown' });
    expect(toNobody.notices).toEqual([{ kind: 'escalated', instanceId: 'i1', stepIndex: 0, fromTask: task('t1', 's1', 'boss'), toUserIds: [] }]);
  });

  it('escalate follows out-of-office delegations whose window contains now (start inclusive, end exclusive), not to the requester', () => {
    const window = (fromUserId: string, toUserId: string, startsAt: Date, endsAt: Date): DelegationWindow => ({ fromUserId, toUserId, startsAt, endsAt });
    const later = new Date(now.getTime() + 3_600_000);
    const run = (delegations: DelegationWindow[], requesterId = 'rep') =>
      planStepTimeouts(
        facts({ instances: [instance('i1', { requesterId })], steps: [step('s1', 'i1', 'escalate')], openTasks: [task('t1', 's1', 'boss')], escalationTargets: new Map([['t1', toManager('vp')]]), delegations }),
        ids(),
      ).newTasks.map((t) => [t.assigneeId, t.originalAssigneeId, t.via]);

    expect(run([window('vp', 'deputy', now, later)])).toEqual([['deputy', 'vp', 'escalation:manager;delegation:vp>deputy']]);
    expect(run([window('vp', 'deputy', new Date(now.getTime() - 3_600_000), now)])).toEqual([['vp', null, 'escalation:manager']]);
    expect(run([window('vp', 'deputy', now, later)], 'deputy')).toEqual([['vp', null, 'escalation:manager']]);
  });

  it('a timeout due exactly at now is acted on: the plan does not compare due dates (the scheduler fired the timer)', () => {
    const plan = planStepTimeouts(facts({ instances: [instance('i1')], steps: [step('s1', 'i1', 'remind')], openTasks: [task('t1', 's1', 'boss')] }), ids());
    expect(plan.notices).toHaveLength(1);
  });

  it('auto-approve / auto-reject: handed to the engine in batch order, no writes of its own', () => {
    const plan = planStepTimeouts(
      facts({ instances: [instance('i1'), instance('i2')], steps: [step('s1', 'i1', 'auto-approve'), step('s2', 'i2', 'auto-reject')], openTasks: [] }),
      ids(),
    );
    expect(plan).toEqual({ decide: [{ stepId: 's1', outcome: 'approved' }, { stepId: 's2', outcome: 'rejected' }], escalateTaskIds: [], newTasks: [], history: [], notices: [] });
  });

  it('a step already decided, or of an instance no longer running, is left alone', () => {
    const input = facts({
      instances: [instance('i1'), instance('i2', { status: 'approved' }), instance('i3')],
      steps: [step('s1', 'i1', 'escalate', { status: 'approved' }), step('s2', 'i2', 'remind'), step('s3', 'i3', 'auto-reject', { status: 'rejected' }), step('s4', 'i3', 'remind', { timeout: null })],
      openTasks: [task('t1', 's1', 'boss'), task('t2', 's2', 'boss')],
    });
    expect(dueSteps(input)).toEqual({ setBased: [], automatic: [] });
    expect(planStepTimeouts(input, ids())).toEqual({ decide: [], escalateTaskIds: [], newTasks: [], history: [], notices: [] });
  });

  it('a mixed batch: set-based steps split from automatic ones; only escalate steps’ tasks need targets', () => {
    const steps = [step('s1', 'i1', 'remind'), step('s2', 'i2', 'escalate'), step('s3', 'i3', 'auto-approve')];
    const { setBased, automatic } = dueSteps({ instances: [instance('i1'), instance('i2'), instance('i3')], steps });
    expect([setBased.map((s) => s.id), automatic.map((s) => s.id)]).toEqual([['s1', 's2'], ['s3']]);
    expect(tasksToEscalate(setBased, [task('t1', 's1', 'a'), task('t2', 's2', 'b'), task('t3', 's2', 'c')]).map((t) => t.id)).toEqual(['t2', 't3']);
  });

  it('an escalating task without a resolved target is a bug, not a silent skip', () => {
    expect(() => planStepTimeouts(facts({ instances: [instance('i1')], steps: [step('s1', 'i1', 'escalate')], openTasks: [task('t1', 's1', 'boss')] }), ids())).toThrow('no target resolved for task t1');
  });
});
