import { deviceWords } from './device-words';

describe('deviceWords', () => {
  it('names common phones, tablets and computers in words, without versions', () => {
    expect(deviceWords('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'))
      .toEqual({ ja: 'iPhone の Safari', en: 'Safari on iPhone' });
    expect(deviceWords('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'))
      .toEqual({ ja: 'Android スマートフォン の Chrome', en: 'Chrome on an Android phone' });
    expect(deviceWords('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'))
      .toEqual({ ja: 'Windows パソコン の Edge', en: 'Edge on a Windows PC' });
    expect(deviceWords('Mozilla/5.0 (Linux; Android 13; SM-S911C) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36').ja)
      .toBe('Android スマートフォン の Samsung Internet');
    expect(deviceWords('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5; rv:127.0) Gecko/20100101 Firefox/127.0')).toEqual({ ja: 'Mac の Firefox', en: 'Firefox on Mac' });
  });

  it('says 不明な端末 for a missing or unknown header rather than showing it', () => {
    expect(deviceWords(undefined)).toEqual({ ja: '不明な端末', en: 'Unknown device' });
    expect(deviceWords('curl/8.5.0')).toEqual({ ja: '不明な端末', en: 'Unknown device' });
  });
});
