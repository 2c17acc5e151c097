/**
 * A small weather table in the shape of Seattle's daily weather: a date column, the day's
 * precipitation, highest temperature and wind, and the weather (sun, rain, and the rare drizzle
 * and fog). Made by formula, no randomness: every fifth day from 2015-01-01 over two years,
 * warmer in summer, wetter in winter.
 */
export function weatherCsv(days = 146): string {
  const lines = ['date,precipitation,temp_max,wind,weather'];
  for (let i = 0; i < days; i++) {
    const day = new Date(Date.UTC(2015, 0, 1 + 5 * i));
    const season = Math.cos((2 * Math.PI * (5 * i - 15)) / 365); // 1 in midwinter, −1 in midsummer
    const wobble = ((i * 37) % 11) / 10; // 0 … 1, repeating without a short period
    const precipitation = Math.max(0, 6 * season + 8 * wobble - 4);
    const temp = 16 - 9 * season + 3 * wobble;
    const wind = 1 + 4 * ((i * 53) % 7) / 7;
    const weather = precipitation > 6 ? 'rain' : precipitation > 2.5 ? 'drizzle' : wind < 1.7 && season > 0 ? 'fog' : 'sun';
    lines.push([day.toISOString().slice(0, 10), precipitation.toFixed(1), temp.toFixed(1), wind.toFixed(1), weather].join(','));
  }
  return lines.join('\n') + '\n';
}
