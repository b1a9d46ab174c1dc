import nodemailer from 'nodemailer';

// Invitation emails over SMTP (nodemailer: a maintained SMTP client with TLS, auth and pooling that we
// would otherwise write by hand). Without FERRY_SMTP_URL nothing is sent: the owner copies the link.

export interface InviteMail {
  to: string;
  url: string;
  workspaceName: string;
  role: string;
  invitedBy: string;
}

/** Sends the invite; answers 'sent' or why it was not, never throws (the link is shown either way). */
export async function inviteMailer(smtpUrl: string | undefined, from: string, mail: InviteMail): Promise<string> {
  if (!smtpUrl) return 'not sent (FERRY_SMTP_URL is not set): copy the link';
  const u = new URL(smtpUrl);
  const secure = u.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    // A silent mail server must not hold the owner's request for long: the link is shown anyway.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 15_000,
  });
  try {
    await transport.sendMail({
      from,
      to: mail.to,
      subject: `${mail.invitedBy} invited you to ${mail.workspaceName} on Ferry`,
      text: [
        `${mail.invitedBy} invited you to join ${mail.workspaceName} on Ferry as ${mail.role}.`,
        '',
        `Open this link to set your name and password (it works once, for 7 days):`,
        mail.url,
      ].join('\n'),
    });
    return 'sent';
  } catch (error) {
    return `not sent: ${(error as Error).message}`;
  } finally {
    transport.close();
  }
}
