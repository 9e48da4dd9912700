/** The privacy policy: static text, readable before anything is agreed. */
Page({});
