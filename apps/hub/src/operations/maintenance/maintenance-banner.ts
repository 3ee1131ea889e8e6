/**
 * The banners moved to `platform/site/site-notices.ts` so that every page shell can include them;
 * this module keeps the names the maintenance screens use.
 */
export {
  domainEndBanner, maintenanceBanner, type MaintenanceNoticeView, platformNoticeBanners, type PlatformNoticeKind,
  type PlatformNoticeView, setNoticeBoard as setMaintenanceBoard,
} from '../../platform/site/site-notices';
