import { BudgetsClient, CreateBudgetCommand, DeleteSubscriberCommand } from '@aws-sdk/client-budgets';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateAccessKeyCommand,
  CreateAccountAliasCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { plainClientConfig } from './moto-clients.js';

export const ACCOUNT_ID = '123456789012';
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

/**
 * Puts state into the emulator through the real SDK, the way another tool or a person in the console would,
 * so that the CLI under test has something real to find.
 */
export function motoSeeder(endpoint: string) {
  const config = plainClientConfig(endpoint);
  const iam = new IAMClient(config);
  const budgets = new BudgetsClient(config);
  return {
    iam,
    budgets,
    alias: (name: string) => iam.send(new CreateAccountAliasCommand({ AccountAlias: name })),
    async adminGroup(name = 'Administrators') {
      await iam.send(new CreateGroupCommand({ GroupName: name }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: name, PolicyArn: ADMIN_POLICY }));
    },
    async user(name: string, options: { group?: string; consolePassword?: boolean; mfa?: boolean } = {}) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      if (options.group) await iam.send(new AddUserToGroupCommand({ GroupName: options.group, UserName: name }));
      if (options.consolePassword) {
        await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: 'Correct-Horse-Battery-9' }));
      }
      if (options.mfa) {
        const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: name }));
        await iam.send(
          new EnableMFADeviceCommand({
            UserName: name,
            SerialNumber: device.VirtualMFADevice!.SerialNumber!,
            AuthenticationCode1: '123456',
            AuthenticationCode2: '654321',
          }),
        );
      }
    },
    async monthlyBudget(
      name: string,
      options: { amount?: number; threshold?: number; emails?: string[]; notificationType?: 'ACTUAL' | 'FORECASTED' } = {},
    ) {
      const emails = options.emails ?? ['ops@example.com'];
      await budgets.send(
        new CreateBudgetCommand({
          AccountId: ACCOUNT_ID,
          Budget: {
            BudgetName: name,
            BudgetType: 'COST',
            TimeUnit: 'MONTHLY',
            BudgetLimit: { Amount: String(options.amount ?? 25), Unit: 'USD' },
          },
          NotificationsWithSubscribers: [
            {
              Notification: {
                NotificationType: options.notificationType ?? 'ACTUAL',
                ComparisonOperator: 'GREATER_THAN',
                Threshold: options.threshold ?? 80,
                ThresholdType: 'PERCENTAGE',
              },
              Subscribers: emails.map((Address) => ({ SubscriptionType: 'EMAIL' as const, Address })),
            },
          ],
        }),
      );
    },
    async removeSubscriber(budgetName: string, threshold: number, address: string) {
      await budgets.send(
        new DeleteSubscriberCommand({
          AccountId: ACCOUNT_ID,
          BudgetName: budgetName,
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: threshold,
            ThresholdType: 'PERCENTAGE',
          },
          Subscriber: { SubscriptionType: 'EMAIL', Address: address },
        }),
      );
    },
  };
}

/**
 * Creates an IAM user whose only permissions are `policy`, and returns its access key: with moto's
 * authorization switched on afterwards, the CLI runs as this user and meets real AccessDenied errors.
 */
export async function userWithPolicy(iam: IAMClient, name: string, policy: object) {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'only', PolicyDocument: JSON.stringify(policy) }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { AWS_ACCESS_KEY_ID: key.AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: key.AccessKey!.SecretAccessKey! };
}
