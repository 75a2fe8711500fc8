import { ALARMS, renderAlarm } from './alarms.ts';
import { renderDashboard } from './dashboard.ts';
import type { StackNames } from './stack-names.ts';

export type { StackNames } from './stack-names.ts';

/**
 * The CloudWatch dashboard and alarms as plain CloudFormation resources, rendered from the figure and alarm
 * definitions; with an alarm e-mail, an SNS topic and its subscription, which every alarm notifies.
 */
export function observabilityResources(
  names: StackNames,
): Record<string, { Type: string; Properties: object }> {
  const resources: Record<string, { Type: string; Properties: object }> = {};
  const actions: unknown[] = [];
  if (names.alarmEmail) {
    resources.AlarmTopic = {
      Type: 'AWS::SNS::Topic',
      Properties: { DisplayName: `${names.alarmPrefix} alarms` },
    };
    resources.AlarmEmailSubscription = {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: names.alarmEmail },
    };
    actions.push({ Ref: 'AlarmTopic' });
  }
  for (const alarm of ALARMS) {
    resources[alarm.id] = { Type: 'AWS::CloudWatch::Alarm', Properties: renderAlarm(alarm, names, actions) };
  }
  resources.UsageDashboard = {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: names.dashboardName,
      DashboardBody: {
        'Fn::Sub': JSON.stringify(
          renderDashboard(
            names,
            ALARMS.map((alarm) => alarm.id),
          ),
        ),
      },
    },
  };
  return resources;
}
