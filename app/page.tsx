export default function Home() {
  return <main>Ferry</main>;
}
