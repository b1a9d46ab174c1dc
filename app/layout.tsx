import type { ReactNode } from 'react';
import './globals.css';

// Rendered per request: each page's scripts carry that response's CSP nonce (server/http/security-headers.ts).
export const dynamic = 'force-dynamic';

export const metadata = { title: 'Ferry', description: 'Collaborative notebooks to edge devices' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
