// What espeak-ng is given instead of the catalogue text, where its reading is wrong.
//
// espeak-ng's cmn-latn-pinyin voice reads Han characters itself (through its own dictionary) and reads Latin
// letters as pinyin with tone digits, so a word can be corrected in place: "chong2 ting1请按9". Its dictionary picks
// the wrong reading for several 多音字 and reads a digit string as a quantity, so these are respelled. Each entry was
// found with `npm run prompts -- --phonemes` (espeak's own phoneme transcription of every prompt); run it after
// changing the catalogue and add a line here for any misread word. A fix only changes the synthesised audio: the
// catalogue keeps the real text, which is what a studio speaker reads.
export const PRONUNCIATION_FIXES: ReadonlyArray<readonly [word: string, say: string]> = [
  // The hotline number is said digit by digit with 幺 for 1, as on any Chinese phone line
  // (espeak says 一万二千三百四十八).
  ['12348', '幺二三四八'],
  ['重听', 'chong2 ting1'], // espeak: zhong4 ting1
  ['重新', 'chong2 xin1'], // espeak: zhong4 xin1
  ['重拨', 'chong2 bo1'],
  ['调解', 'tiao2 jie3'], // espeak: diao4 jie3
  ['调休', 'tiao2 xiu1'],
  ['节假日', 'jie2 jia4 ri4'], // espeak: jia3
  ['土地', 'tu3 di4'], // espeak: de (the particle)
  ['地方', 'di4 fang1'],
  ['处理', 'chu3 li3'], // espeak: chu4
  ['获得', 'huo4 de2'], // espeak: de (neutral)
  ['着急', 'zhao2 ji2'],
  ['银行', 'yin2 hang2'],
  ['还款', 'huan2 kuan3'],
  ['凌晨', 'ling2 chen2'], // espeak: a garbled ling2 chen2 chen
];

// Longest first, so a longer word wins over a fix for a shorter one inside it.
const ORDERED = [...PRONUNCIATION_FIXES].sort((a, b) => b[0].length - a[0].length);

/** The catalogue text respelled for espeak-ng (cmn-latn-pinyin). */
export function speechText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const fix = ORDERED.find(([word]) => text.startsWith(word, i));
    if (!fix) {
      out += text[i++];
      continue;
    }
    // Pinyin needs a space from the neighbouring letters or digits, or espeak reads "ting1请按9" as one syllable.
    const say = /[a-z0-9]$/i.test(fix[1]) && /[a-z0-9]/i.test(text[i + fix[0].length] ?? '') ? `${fix[1]} ` : fix[1];
    out += say;
    i += fix[0].length;
  }
  return out;
}
